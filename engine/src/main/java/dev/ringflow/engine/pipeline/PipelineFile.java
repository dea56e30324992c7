package dev.ringflow.engine.pipeline;

import dev.ringflow.engine.pipeline.EngineSpec.WaitStrategyKind;
import dev.ringflow.engine.pipeline.SourceSpec.StartFrom;
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
        "journal", "plugins-dir", "state");
    private static final Set<String> STATE_FIELDS = Set.of("scope", "topic", "publish-interval-ms",
        "restore-timeout-ms", "standby-replicas");
    private static final Set<String> SOURCE_FIELDS = Set.of("topics", "topic", "group-id", "start-from", "consumer",
        "format", "key-field", "timestamp-field", "partition-idle-ms");
    private static final Set<String> SINK_FIELDS =
        Set.of("topic", "dead-letter-topic", "late-topic", "create-topics", "producer", "delivery");
    private static final Set<String> JOURNAL_FIELDS = Set.of("enabled", "dir", "roll-cycle", "min-free-mb",
        "snapshot-interval-ms", "retention-hours");
    private static final Set<String> ENGINE_FIELDS =
        Set.of("ring-capacity", "wait-strategy", "commit-interval-ms", "idle-key-timeout-ms", "idle-watermark-ms",
            "cpus", "workers");
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
        return load(file, null);
    }

    /**
     * Loads and validates a pipeline file, and loads the classes of its {@code function} tasks from every jar of the
     * plugins directory: {@code pluginsDir} when given, else the file's {@code plugins-dir} (relative to the file),
     * else {@code plugins} next to the file.
     *
     * @throws PipelineValidationException naming every problem, including a file that cannot be read and a function
     *                                     that cannot be loaded, instantiated or opened.
     */
    public static PipelineSpec load(final Path file, final Path pluginsDir)
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
        final Path base = null == file.toAbsolutePath().getParent() ? Path.of(".") : file.toAbsolutePath().getParent();
        return parse(text, file.toString(), defaultName(file), base, pluginsDir);
    }

    /**
     * Parses and validates pipeline text. The classes of {@code function} tasks come from the jars of the text's
     * {@code plugins-dir} (relative to the working directory) if it names one, else from the class path.
     *
     * @param origin      how messages name the text (usually the file path).
     * @param defaultName the pipeline name when the text has no {@code name} field.
     */
    public static PipelineSpec parse(final String text, final String origin, final String defaultName)
    {
        return parse(text, origin, defaultName, null, null);
    }

    /**
     * Parses and validates pipeline text read as if it were a file in {@code base}: a change posted to a running
     * daemon is read against the directory of the file the daemon runs.
     *
     * @param base       the directory {@code plugins-dir} and model files are relative to, and holding the default
     *                   {@code plugins}; null for the working directory and no default (the class path).
     * @param pluginsDir overrides the plugins directory; null for none.
     */
    public static PipelineSpec parse(final String text, final String origin, final String defaultName,
        final Path base, final Path pluginsDir)
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
        final String[] pluginsDirField = new String[1];
        PipelineSpec spec = read(yaml, root, defaultName, pluginsDirField);
        final List<String> problems = new ArrayList<>(yaml.problems());
        if (problems.isEmpty())
        {
            // Models first: the validator checks that the pipeline provides the features a model declares.
            spec = ScoreModelLoader.load(spec, null == base ? null : base.toAbsolutePath(), problems);
            problems.addAll(PipelineValidator.validate(spec, yaml::where));
        }
        if (problems.isEmpty())
        {
            spec = FunctionLoader.load(spec, pluginsDir(base, pluginsDir, pluginsDirField[0]), problems);
        }
        if (!problems.isEmpty())
        {
            throw new PipelineValidationException(origin, problems);
        }
        return spec;
    }

    private static Path pluginsDir(final Path base, final Path override, final String field)
    {
        if (null != override)
        {
            return override;
        }
        if (null != field)
        {
            return null == base ? Path.of(field) : base.resolve(field);
        }
        return null == base ? null : base.resolve("plugins");
    }

    /**
     * @param pluginsDir receives the {@code plugins-dir} field, if any.
     */
    private static PipelineSpec read(final YamlFields yaml, final Node root, final String defaultName,
        final String[] pluginsDir)
    {
        final Map<String, Node> top = yaml.mapping(root, "", TOP_FIELDS);
        if (top == null)
        {
            return null;
        }
        final String name = yaml.text(top, "name", "name", defaultName);
        pluginsDir[0] = yaml.text(top, "plugins-dir", "plugins-dir", null);

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
                yaml.text(sourceFields, "timestamp-field", "source.timestamp-field", null),
                yaml.integer(sourceFields, "partition-idle-ms", "source.partition-idle-ms", 0));
        }

        final List<TaskSpec> tasks = new ArrayList<>();
        if (top.containsKey("tasks"))
        {
            final List<Node> items = yaml.sequence(top.get("tasks"), "tasks");
            for (int i = 0; i < items.size(); i++)
            {
                final TaskSpec task = PipelineTaskReader.readTask(yaml, items.get(i), "tasks[" + i + "]");
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
                    yaml.integer(fields, "min-free-mb", "journal.min-free-mb", JournalSpec.DEFAULT_MIN_FREE_MB),
                    yaml.integer(fields, "snapshot-interval-ms", "journal.snapshot-interval-ms",
                        JournalSpec.DEFAULT_SNAPSHOT_INTERVAL_MS),
                    yaml.integer(fields, "retention-hours", "journal.retention-hours",
                        JournalSpec.DEFAULT_RETENTION_HOURS));
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
                    clampToInt(capacity),
                    yaml.choice(fields, "wait-strategy", "engine.wait-strategy", WaitStrategyKind.class,
                        WaitStrategyKind.BLOCKING),
                    yaml.integer(fields, "commit-interval-ms", "engine.commit-interval-ms",
                        EngineSpec.DEFAULT_COMMIT_INTERVAL_MS),
                    yaml.integer(fields, "idle-key-timeout-ms", "engine.idle-key-timeout-ms", 0),
                    yaml.integer(fields, "idle-watermark-ms", "engine.idle-watermark-ms", 0),
                    readCpus(yaml, fields),
                    clampToInt(yaml.integer(fields, "workers", "engine.workers", 1)));
            }
        }

        StateSpec state = StateSpec.defaults();
        if (top.containsKey("state"))
        {
            final Map<String, Node> fields = yaml.mapping(top.get("state"), "state", STATE_FIELDS);
            if (fields != null)
            {
                state = new StateSpec(
                    yaml.choice(fields, "scope", "state.scope", StateSpec.Scope.class, StateSpec.Scope.KEY),
                    yaml.text(fields, "topic", "state.topic", null),
                    yaml.integer(fields, "publish-interval-ms", "state.publish-interval-ms",
                        StateSpec.DEFAULT_PUBLISH_INTERVAL_MS),
                    yaml.integer(fields, "restore-timeout-ms", "state.restore-timeout-ms",
                        StateSpec.DEFAULT_RESTORE_TIMEOUT_MS),
                    clampToInt(yaml.integer(fields, "standby-replicas", "state.standby-replicas", 0)));
            }
        }

        if (source == null || sink == null)
        {
            return null;
        }
        return new PipelineSpec(name, source, tasks, sink, kafka, engine, journal, state);
    }

    /** An int field read as a long: out-of-range values stay out of range for the validator to name. */
    private static int clampToInt(final long value)
    {
        return (int)Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
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

    private static String defaultName(final Path file)
    {
        final String fileName = file.getFileName() == null ? "pipeline" : file.getFileName().toString();
        final int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
