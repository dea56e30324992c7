package dev.ringflow.engine.pipeline;

import dev.ringflow.engine.pipeline.EngineSpec.WaitStrategyKind;
import dev.ringflow.engine.pipeline.SourceSpec.StartFrom;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads pipeline files (YAML). Every field but the source topics, the tasks' required fields and the sink topic
 * has a default; any problem is reported with the file, line and field path, all problems at once.
 */
public final class PipelineFile
{
    private static final Set<String> TOP_FIELDS = Set.of("name", "source", "tasks", "sink", "kafka", "engine",
        "journal");
    private static final Set<String> SOURCE_FIELDS = Set.of("topics", "topic", "group-id", "start-from", "consumer",
        "format", "key-field", "timestamp-field");
    private static final Set<String> SINK_FIELDS =
        Set.of("topic", "dead-letter-topic", "late-topic", "create-topics", "producer", "delivery");
    private static final Set<String> JOURNAL_FIELDS = Set.of("enabled", "dir", "roll-cycle", "min-free-mb");
    private static final Set<String> ENGINE_FIELDS =
        Set.of("ring-capacity", "wait-strategy", "commit-interval-ms", "idle-key-timeout-ms", "idle-watermark-ms",
            "cpus", "workers");
    private static final Set<String> WINDOW_FIELDS =
        Set.of("type", "range", "slide", "aggregation", "aggregations", "value-type", "value-field", "value-fields",
            "output");
    private static final Set<String> TIME_WINDOW_FIELDS = Set.of("type", "size-ms", "advance-ms",
        "out-of-orderness-ms", "allowed-lateness-ms", "aggregation", "aggregations", "value-type", "value-field",
        "value-fields", "output", "early-results-ms");
    private static final Set<String> FORMAT_FIELDS = Set.of("type", "template");
    private static final Set<String> FILTER_FIELDS = Set.of("type", "min", "max");
    private static final Set<String> SESSION_WINDOW_FIELDS = Set.of("type", "gap-ms", "out-of-orderness-ms",
        "allowed-lateness-ms", "aggregation", "aggregations", "value-type", "value-field", "value-fields", "output",
        "early-results-ms");
    private static final Set<String> GLOBAL_WINDOW_FIELDS = Set.of("type", "slide", "aggregation", "aggregations",
        "value-type", "value-field", "value-fields", "output");
    private static final String TASK_TYPES = "window, time-window, session-window, global-window, format, filter";

    private PipelineFile()
    {
    }

    /**
     * Loads and validates a pipeline file.
     *
     * @throws PipelineValidationException naming every problem, including a file that cannot be read.
     */
    public static PipelineSpec load(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new PipelineValidationException(file.toString(), List.of(
                file + ": cannot read the file (" + ex.getClass().getSimpleName() + ": " + ex.getMessage() + ")"));
        }
        return parse(text, file.toString(), defaultName(file));
    }

    /**
     * Parses and validates pipeline text.
     *
     * @param origin      how messages name the text (usually the file path).
     * @param defaultName the pipeline name when the text has no {@code name} field.
     */
    public static PipelineSpec parse(final String text, final String origin, final String defaultName)
    {
        final Node root;
        try (Reader reader = new StringReader(text))
        {
            final LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true);
            root = new Yaml(options).compose(reader);
        }
        catch (final MarkedYAMLException ex)
        {
            final int line = ex.getProblemMark() == null ? 0 : ex.getProblemMark().getLine() + 1;
            throw new PipelineValidationException(origin, List.of(
                origin + ":" + line + ": not valid YAML: " + ex.getProblem()));
        }
        catch (final YAMLException | IOException ex)
        {
            throw new PipelineValidationException(origin, List.of(origin + ": not valid YAML: " + ex.getMessage()));
        }
        if (root == null)
        {
            throw new PipelineValidationException(origin, List.of(origin + ": the file is empty; expected a pipeline"));
        }

        final YamlFields yaml = new YamlFields(origin);
        final PipelineSpec spec = read(yaml, root, defaultName);
        final List<String> problems = new ArrayList<>(yaml.problems());
        if (problems.isEmpty())
        {
            problems.addAll(PipelineValidator.validate(spec, yaml::where));
        }
        if (!problems.isEmpty())
        {
            throw new PipelineValidationException(origin, problems);
        }
        return spec;
    }

    private static PipelineSpec read(final YamlFields yaml, final Node root, final String defaultName)
    {
        final Map<String, Node> top = yaml.mapping(root, "", TOP_FIELDS);
        if (top == null)
        {
            return null;
        }
        final String name = yaml.text(top, "name", "name", defaultName);

        SourceSpec source = null;
        final Map<String, Node> sourceFields = top.containsKey("source") ?
            yaml.mapping(top.get("source"), "source", SOURCE_FIELDS) : null;
        if (sourceFields == null)
        {
            if (!top.containsKey("source"))
            {
                yaml.problem("source", "missing; expected a mapping with 'topics'");
            }
        }
        else
        {
            final List<String> topics = new ArrayList<>();
            if (sourceFields.containsKey("topics"))
            {
                final List<Node> items = yaml.sequence(sourceFields.get("topics"), "source.topics");
                for (int i = 0; i < items.size(); i++)
                {
                    final String topic = yaml.text(Map.of("t", items.get(i)), "t", "source.topics[" + i + "]", null);
                    if (topic != null)
                    {
                        topics.add(topic);
                    }
                }
            }
            final String single = yaml.text(sourceFields, "topic", "source.topic", null);
            if (single != null)
            {
                topics.add(single);
            }
            if (!sourceFields.containsKey("topics") && !sourceFields.containsKey("topic"))
            {
                yaml.problem("source.topics", "missing; expected a list of input topics");
            }
            source = new SourceSpec(
                topics,
                yaml.text(sourceFields, "group-id", "source.group-id", "ringflow-" + name),
                yaml.choice(sourceFields, "start-from", "source.start-from", StartFrom.class, StartFrom.EARLIEST),
                yaml.properties(sourceFields, "consumer", "source.consumer"),
                yaml.choice(sourceFields, "format", "source.format", InputFormat.class, InputFormat.TEXT),
                yaml.text(sourceFields, "key-field", "source.key-field", null),
                yaml.text(sourceFields, "timestamp-field", "source.timestamp-field", null));
        }

        final List<TaskSpec> tasks = new ArrayList<>();
        if (top.containsKey("tasks"))
        {
            final List<Node> items = yaml.sequence(top.get("tasks"), "tasks");
            for (int i = 0; i < items.size(); i++)
            {
                final TaskSpec task = readTask(yaml, items.get(i), "tasks[" + i + "]");
                if (task != null)
                {
                    tasks.add(task);
                }
            }
        }

        SinkSpec sink = null;
        final Map<String, Node> sinkFields = top.containsKey("sink") ?
            yaml.mapping(top.get("sink"), "sink", SINK_FIELDS) : null;
        if (sinkFields == null)
        {
            if (!top.containsKey("sink"))
            {
                yaml.problem("sink", "missing; expected a mapping with 'topic'");
            }
        }
        else
        {
            sink = new SinkSpec(
                yaml.requiredText(sinkFields, "topic", "sink.topic", "the output topic"),
                yaml.text(sinkFields, "dead-letter-topic", "sink.dead-letter-topic", null),
                yaml.text(sinkFields, "late-topic", "sink.late-topic", null),
                yaml.bool(sinkFields, "create-topics", "sink.create-topics", true),
                yaml.properties(sinkFields, "producer", "sink.producer"),
                yaml.choice(sinkFields, "delivery", "sink.delivery", SinkSpec.Delivery.class, null));
        }

        JournalSpec journal = JournalSpec.defaults(name);
        if (top.containsKey("journal"))
        {
            final Map<String, Node> fields = yaml.mapping(top.get("journal"), "journal", JOURNAL_FIELDS);
            if (fields != null)
            {
                journal = new JournalSpec(
                    yaml.bool(fields, "enabled", "journal.enabled", true),
                    yaml.text(fields, "dir", "journal.dir", JournalSpec.defaultDir(name)),
                    yaml.choice(fields, "roll-cycle", "journal.roll-cycle", JournalSpec.RollCycle.class,
                        JournalSpec.RollCycle.HOURLY),
                    yaml.integer(fields, "min-free-mb", "journal.min-free-mb", JournalSpec.DEFAULT_MIN_FREE_MB));
            }
        }
        if (sink != null && sink.delivery() == null)
        {
            sink = sink.withDelivery(
                journal.enabled() ? SinkSpec.Delivery.EXACTLY_ONCE : SinkSpec.Delivery.AT_LEAST_ONCE);
        }

        final Map<String, String> kafka = yaml.properties(top, "kafka", "kafka");

        EngineSpec engine = EngineSpec.defaults();
        if (top.containsKey("engine"))
        {
            final Map<String, Node> fields = yaml.mapping(top.get("engine"), "engine", ENGINE_FIELDS);
            if (fields != null)
            {
                final long capacity = yaml.integer(fields, "ring-capacity", "engine.ring-capacity",
                    EngineSpec.DEFAULT_RING_CAPACITY);
                engine = new EngineSpec(
                    (int)Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, capacity)),
                    yaml.choice(fields, "wait-strategy", "engine.wait-strategy", WaitStrategyKind.class,
                        WaitStrategyKind.BLOCKING),
                    yaml.integer(fields, "commit-interval-ms", "engine.commit-interval-ms",
                        EngineSpec.DEFAULT_COMMIT_INTERVAL_MS),
                    yaml.integer(fields, "idle-key-timeout-ms", "engine.idle-key-timeout-ms", 0),
                    yaml.integer(fields, "idle-watermark-ms", "engine.idle-watermark-ms", 0),
                    readCpus(yaml, fields),
                    (int)Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                        yaml.integer(fields, "workers", "engine.workers", 1))));
            }
        }

        if (source == null || sink == null)
        {
            return null;
        }
        return new PipelineSpec(name, source, tasks, sink, kafka, engine, journal);
    }

    private static Map<String, String> readCpus(final YamlFields yaml, final Map<String, Node> engineFields)
    {
        final Map<String, String> cpus = new java.util.LinkedHashMap<>();
        if (!engineFields.containsKey("cpus"))
        {
            return cpus;
        }
        final Map<String, Node> roles = yaml.mapping(engineFields.get("cpus"), "engine.cpus",
            new java.util.LinkedHashSet<>(EngineSpec.THREAD_ROLES));
        if (roles != null)
        {
            for (final String role : roles.keySet())
            {
                final String list = yaml.text(roles, role, "engine.cpus." + role, null);
                if (list != null)
                {
                    cpus.put(role, list);
                }
            }
        }
        return cpus;
    }

    private static TaskSpec readTask(final YamlFields yaml, final Node node, final String path)
    {
        if (!(node instanceof org.yaml.snakeyaml.nodes.MappingNode))
        {
            yaml.mapping(node, path, Set.of("type"));
            return null;
        }
        final String type = typeOf(yaml, (org.yaml.snakeyaml.nodes.MappingNode)node, path);
        if (type == null)
        {
            return null;
        }
        switch (type)
        {
            case WindowTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, WINDOW_FIELDS);
                if (!fields.containsKey("range"))
                {
                    yaml.problem(path + ".range", "missing; expected the window size in elements (an integer >= 1)");
                }
                return new WindowTaskSpec(
                    (int)clampInt(yaml.integer(fields, "range", path + ".range", 1)),
                    (int)clampInt(yaml.integer(fields, "slide", path + ".slide", 1)),
                    aggregations(yaml, fields, path),
                    yaml.choice(fields, "value-type", path + ".value-type", ValueKind.class, ValueKind.LONG),
                    valueFields(yaml, fields, path),
                    yaml.choice(fields, "output", path + ".output", OutputFormat.class, OutputFormat.TEXT));
            }
            case TimeWindowTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, TIME_WINDOW_FIELDS);
                if (!fields.containsKey("size-ms"))
                {
                    yaml.problem(path + ".size-ms", "missing; expected the window length in ms (an integer >= 1)");
                }
                final long size = yaml.integer(fields, "size-ms", path + ".size-ms", 1);
                return new TimeWindowTaskSpec(
                    size,
                    yaml.integer(fields, "advance-ms", path + ".advance-ms", size),
                    yaml.integer(fields, "out-of-orderness-ms", path + ".out-of-orderness-ms", 0),
                    yaml.integer(fields, "allowed-lateness-ms", path + ".allowed-lateness-ms", 0),
                    aggregations(yaml, fields, path),
                    yaml.choice(fields, "value-type", path + ".value-type", ValueKind.class, ValueKind.LONG),
                    valueFields(yaml, fields, path),
                    yaml.choice(fields, "output", path + ".output", OutputFormat.class, OutputFormat.JSON),
                    yaml.integer(fields, "early-results-ms", path + ".early-results-ms", 0));
            }
            case SessionWindowTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, SESSION_WINDOW_FIELDS);
                if (!fields.containsKey("gap-ms"))
                {
                    yaml.problem(path + ".gap-ms", "missing; expected the inactivity gap that ends a session, in ms");
                }
                return new SessionWindowTaskSpec(
                    yaml.integer(fields, "gap-ms", path + ".gap-ms", 1),
                    yaml.integer(fields, "out-of-orderness-ms", path + ".out-of-orderness-ms", 0),
                    yaml.integer(fields, "allowed-lateness-ms", path + ".allowed-lateness-ms", 0),
                    aggregations(yaml, fields, path),
                    yaml.choice(fields, "value-type", path + ".value-type", ValueKind.class, ValueKind.LONG),
                    valueFields(yaml, fields, path),
                    yaml.choice(fields, "output", path + ".output", OutputFormat.class, OutputFormat.JSON),
                    yaml.integer(fields, "early-results-ms", path + ".early-results-ms", 0));
            }
            case GlobalWindowTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, GLOBAL_WINDOW_FIELDS);
                return new GlobalWindowTaskSpec(
                    (int)clampInt(yaml.integer(fields, "slide", path + ".slide", 1)),
                    aggregations(yaml, fields, path),
                    yaml.choice(fields, "value-type", path + ".value-type", ValueKind.class, ValueKind.LONG),
                    valueFields(yaml, fields, path),
                    yaml.choice(fields, "output", path + ".output", OutputFormat.class, OutputFormat.TEXT));
            }
            case FormatTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, FORMAT_FIELDS);
                return new FormatTaskSpec(yaml.requiredText(
                    fields, "template", path + ".template", "a template such as 'Processed: {value}'"));
            }
            case FilterTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, FILTER_FIELDS);
                if (!fields.containsKey("min") && !fields.containsKey("max"))
                {
                    yaml.problem(path, "expected 'min', 'max' or both");
                }
                return new FilterTaskSpec(
                    yaml.number(fields, "min", path + ".min", Double.NEGATIVE_INFINITY),
                    yaml.number(fields, "max", path + ".max", Double.POSITIVE_INFINITY));
            }
            default:
                yaml.problem(path + ".type", "unknown task type '" + type + "'; expected one of " + TASK_TYPES);
                return null;
        }
    }

    /** {@code value-field: temp} or {@code value-fields: [temp, hum]}; neither for text input. */
    private static List<String> valueFields(final YamlFields yaml, final Map<String, Node> fields, final String path)
    {
        final List<String> names = new ArrayList<>();
        if (fields.containsKey("value-field") && fields.containsKey("value-fields"))
        {
            yaml.problem(path + ".value-fields", "give either 'value-field' or 'value-fields', not both");
        }
        final String single = yaml.text(fields, "value-field", path + ".value-field", null);
        if (null != single)
        {
            names.add(single);
        }
        if (fields.containsKey("value-fields"))
        {
            final List<Node> items = yaml.sequence(fields.get("value-fields"), path + ".value-fields");
            for (int i = 0; i < items.size(); i++)
            {
                final String name = yaml.text(Map.of("f", items.get(i)), "f", path + ".value-fields[" + i + "]", null);
                if (null != name && !names.contains(name))
                {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** {@code aggregation: sum} or {@code aggregations: [sum, mean]}; exactly one of the two. */
    private static List<Aggregation> aggregations(final YamlFields yaml, final Map<String, Node> fields,
        final String path)
    {
        final List<Aggregation> aggregations = new ArrayList<>();
        final boolean single = fields.containsKey("aggregation");
        final boolean several = fields.containsKey("aggregations");
        if (single && several)
        {
            yaml.problem(path + ".aggregations", "give either 'aggregation' or 'aggregations', not both");
        }
        else if (single)
        {
            final Aggregation aggregation = yaml.choice(
                fields, "aggregation", path + ".aggregation", Aggregation.class, null);
            if (null != aggregation)
            {
                aggregations.add(aggregation);
            }
        }
        else if (several)
        {
            final List<Node> items = yaml.sequence(fields.get("aggregations"), path + ".aggregations");
            for (int i = 0; i < items.size(); i++)
            {
                final Aggregation aggregation = yaml.choice(Map.of("a", items.get(i)), "a",
                    path + ".aggregations[" + i + "]", Aggregation.class, null);
                if (null != aggregation && !aggregations.contains(aggregation))
                {
                    aggregations.add(aggregation);
                }
            }
        }
        else
        {
            yaml.problem(path + ".aggregation", "missing; expected one of " + YamlFields.names(Aggregation.class) +
                " (or a list of them as 'aggregations')");
        }
        return aggregations;
    }

    private static String typeOf(final YamlFields yaml, final org.yaml.snakeyaml.nodes.MappingNode node, final String path)
    {
        for (final org.yaml.snakeyaml.nodes.NodeTuple tuple : node.getValue())
        {
            if (tuple.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode key && "type".equals(key.getValue()))
            {
                return yaml.text(Map.of("type", tuple.getValueNode()), "type", path + ".type", null);
            }
        }
        yaml.problem(path + ".type", "missing; expected one of " + TASK_TYPES);
        return null;
    }

    private static long clampInt(final long value)
    {
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    private static String defaultName(final Path file)
    {
        final String fileName = file.getFileName() == null ? "pipeline" : file.getFileName().toString();
        final int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
