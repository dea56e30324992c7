package dev.ringflow.engine.pipeline;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, path-aware reads from a composed YAML tree. Every problem is recorded with the file position and
 * field path instead of thrown, so one run reports them all.
 */
final class YamlFields
{
    private final String origin;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> positions = new HashMap<>();

    YamlFields(final String origin)
    {
        this.origin = origin;
    }

    List<String> problems()
    {
        return problems;
    }

    /** The message prefix for a field path: the position of the field (or its nearest parent) and the path. */
    String where(final String path)
    {
        String probe = path;
        while (true)
        {
            final String position = positions.get(probe);
            if (position != null)
            {
                return position + ": " + path;
            }
            final int cut = Math.max(probe.lastIndexOf('.'), probe.lastIndexOf('['));
            if (cut <= 0)
            {
                return origin + ": " + path;
            }
            probe = probe.substring(0, cut);
        }
    }

    void problem(final String path, final String message)
    {
        problems.add(where(path) + ": " + message);
    }

    /**
     * The fields of a mapping, checked against the allowed names; null when {@code node} is not a mapping.
     */
    Map<String, Node> mapping(final Node node, final String path, final Set<String> allowed)
    {
        remember(path, node);
        if (!(node instanceof MappingNode mapping))
        {
            problem(path, "expected a mapping" + (allowed == null ? "" : " of fields (" + String.join(", ", allowed) + ")") +
                found(node));
            return null;
        }
        final Map<String, Node> fields = new LinkedHashMap<>();
        for (final NodeTuple tuple : mapping.getValue())
        {
            final String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : null;
            final String fieldPath = path.isEmpty() ? key : path + "." + key;
            if (key == null)
            {
                problem(path, "expected field names to be plain text");
            }
            else if (allowed != null && !allowed.contains(key))
            {
                remember(fieldPath, tuple.getKeyNode());
                problem(fieldPath, "unknown field '" + key + "'; expected one of: " + String.join(", ", allowed));
            }
            else if (fields.put(key, tuple.getValueNode()) != null)
            {
                remember(fieldPath, tuple.getKeyNode());
                problem(fieldPath, "field given twice");
            }
            else
            {
                remember(fieldPath, tuple.getValueNode());
            }
        }
        return fields;
    }

    List<Node> sequence(final Node node, final String path)
    {
        if (!(node instanceof SequenceNode sequence))
        {
            problem(path, "expected a list" + found(node));
            return List.of();
        }
        final List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++)
        {
            remember(path + "[" + i + "]", items.get(i));
        }
        return items;
    }

    /** A scalar as text, or {@code fallback} when absent; null (with a problem) when not a scalar. */
    String text(final Map<String, Node> fields, final String name, final String path, final String fallback)
    {
        final Node node = fields.get(name);
        if (node == null)
        {
            return fallback;
        }
        if (node instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag()))
        {
            return scalar.getValue();
        }
        problem(path, "expected a text value" + found(node));
        return fallback;
    }

    String requiredText(final Map<String, Node> fields, final String name, final String path, final String what)
    {
        final String value = text(fields, name, path, null);
        if (value == null && !fields.containsKey(name))
        {
            problem(path, "missing; expected " + what);
        }
        return value;
    }

    long integer(final Map<String, Node> fields, final String name, final String path, final long fallback)
    {
        final String value = text(fields, name, path, null);
        if (value == null)
        {
            return fallback;
        }
        try
        {
            return Long.parseLong(value.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            problem(path, "expected an integer, was '" + value + "'");
            return fallback;
        }
    }

    double number(final Map<String, Node> fields, final String name, final String path, final double fallback)
    {
        final String value = text(fields, name, path, null);
        if (value == null)
        {
            return fallback;
        }
        try
        {
            final double parsed = Double.parseDouble(value.replace("_", ""));
            if (Double.isNaN(parsed))
            {
                throw new NumberFormatException();
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            problem(path, "expected a number, was '" + value + "'");
            return fallback;
        }
    }

    boolean bool(final Map<String, Node> fields, final String name, final String path, final boolean fallback)
    {
        final String value = text(fields, name, path, null);
        if (value == null)
        {
            return fallback;
        }
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value))
        {
            return Boolean.parseBoolean(value);
        }
        problem(path, "expected true or false, was '" + value + "'");
        return fallback;
    }

    <E extends Enum<E>> E choice(
        final Map<String, Node> fields, final String name, final String path, final Class<E> type, final E fallback)
    {
        final String value = text(fields, name, path, null);
        if (value == null)
        {
            return fallback;
        }
        final String constant = value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (final E e : type.getEnumConstants())
        {
            if (e.name().equals(constant))
            {
                return e;
            }
        }
        problem(path, "expected one of " + names(type) + ", was '" + value + "'");
        return fallback;
    }

    /** A mapping of client properties; values must be scalars. */
    Map<String, String> properties(final Map<String, Node> fields, final String name, final String path)
    {
        final Node node = fields.get(name);
        final Map<String, String> properties = new LinkedHashMap<>();
        if (node == null)
        {
            return properties;
        }
        final Map<String, Node> entries = mapping(node, path, null);
        if (entries != null)
        {
            for (final String key : entries.keySet())
            {
                final String value = text(entries, key, path + "." + key, null);
                if (value != null)
                {
                    properties.put(key, value);
                }
            }
        }
        return properties;
    }

    static <E extends Enum<E>> String names(final Class<E> type)
    {
        final StringBuilder sb = new StringBuilder();
        for (final E e : type.getEnumConstants())
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        return sb.toString();
    }

    private void remember(final String path, final Node node)
    {
        if (node != null && node.getStartMark() != null)
        {
            positions.putIfAbsent(path, origin + ":" + (node.getStartMark().getLine() + 1));
        }
    }

    private static String found(final Node node)
    {
        if (node instanceof ScalarNode scalar)
        {
            return ", was '" + scalar.getValue() + "'";
        }
        if (node instanceof SequenceNode)
        {
            return ", was a list";
        }
        if (node instanceof MappingNode)
        {
            return ", was a mapping";
        }
        return "";
    }
}
