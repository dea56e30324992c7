package dev.ringflow.engine.stage;

import dev.ringflow.engine.expr.FieldResolver;
import dev.ringflow.engine.expr.FieldType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields one pipeline's tasks use, numbered as the tasks are compiled: every path an expression or task reads
 * (dotted paths into nested objects make a tree of names) and every field a task computes, with its type. A
 * {@link JsonEvent} reads exactly these fields from each event and nothing else.
 * <p>
 * <b>Note:</b> Built at load time, on one thread; read-only once the processor is compiled.
 */
final class FieldTable implements FieldResolver
{
    /** One name in the tree of paths: {@code merchant.country} is node {@code country} under node {@code merchant}. */
    static final class Node
    {
        final String path;
        final byte[] name;
        /** The name as a member's opening, quoted and escaped for JSON: {@code "name":}. */
        final byte[] memberPrefix;
        final int id;
        /** The id of the top-level field this one is inside (its own id for a top-level field). */
        final int topLevelId;
        Node[] children = new Node[0];

        Node(final String path, final String name, final int id, final int topLevelId)
        {
            this.path = path;
            this.topLevelId = topLevelId;
            this.name = name.getBytes(StandardCharsets.UTF_8);
            this.memberPrefix = JsonEventWriter.memberPrefix(this.name);
            this.id = id;
        }

        Node child(final byte[] bytes, final int start, final int end)
        {
            final int length = end - start;
            for (final Node child : children)
            {
                final byte[] name = child.name;
                if (name.length == length && sameBytes(name, bytes, start, length))
                {
                    return child;
                }
            }
            return null;
        }

        /** A plain loop: member names are short, and most differ in their first byte. */
        private static boolean sameBytes(final byte[] name, final byte[] bytes, final int start, final int length)
        {
            for (int i = 0; i < length; i++)
            {
                if (name[i] != bytes[start + i])
                {
                    return false;
                }
            }
            return true;
        }
    }

    private final Node root = new Node("", "", -1, -1);
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, FieldType> computedTypes = new HashMap<>();

    /** The id of {@code path}, registering it (and its parents) the first time. */
    @Override
    public int fieldId(final String path)
    {
        Node node = root;
        int from = 0;
        while (true)
        {
            final int dot = path.indexOf('.', from);
            final String name = dot < 0 ? path.substring(from) : path.substring(from, dot);
            final String prefix = dot < 0 ? path : path.substring(0, dot);
            Node child = null;
            for (final Node candidate : node.children)
            {
                if (candidate.path.equals(prefix))
                {
                    child = candidate;
                }
            }
            if (null == child)
            {
                child = new Node(prefix, name, nodes.size(), node == root ? nodes.size() : node.topLevelId);
                nodes.add(child);
                final Node[] children = java.util.Arrays.copyOf(node.children, node.children.length + 1);
                children[children.length - 1] = child;
                node.children = children;
            }
            node = child;
            if (dot < 0)
            {
                return node.id;
            }
            from = dot + 1;
        }
    }

    /** The type of the field a task computed under this name so far; {@link FieldType#UNKNOWN} for input fields. */
    @Override
    public FieldType fieldType(final String path)
    {
        return computedTypes.getOrDefault(path, FieldType.UNKNOWN);
    }

    /** Registers a top-level field that a task computes, with its type: later tasks read it with that type. */
    int define(final String name, final FieldType type)
    {
        computedTypes.put(name, type);
        return fieldId(name);
    }

    int size()
    {
        return nodes.size();
    }

    Node root()
    {
        return root;
    }

    String path(final int id)
    {
        return nodes.get(id).path;
    }

    boolean isTopLevel(final int id)
    {
        return nodes.get(id).topLevelId == id;
    }

    int topLevelId(final int id)
    {
        return nodes.get(id).topLevelId;
    }

    /** The name a field has as a member of its object (the last part of its path), in UTF-8. */
    byte[] name(final int id)
    {
        return nodes.get(id).name;
    }

    /** {@link #name} as a JSON member's opening: quoted, escaped, followed by a colon. */
    byte[] memberPrefix(final int id)
    {
        return nodes.get(id).memberPrefix;
    }
}
