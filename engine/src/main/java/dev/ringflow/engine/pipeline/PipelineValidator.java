package dev.ringflow.engine.pipeline;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The semantic rules every pipeline must satisfy, however it was built. Problems name the field path in
 * pipeline-file terms ({@code tasks[0].range}) so that file and API users read the same messages.
 */
final class PipelineValidator
{
    /** Kafka's rule for topic names. */
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    static final int MAX_RING_CAPACITY = 1 << 24;
    static final long MAX_PANES_PER_KEY = 1 << 20;
    /** The last millisecond of year 9999: the largest event time, and so the longest event-time duration. */
    static final long MAX_EVENT_TIME_SPAN_MS = 253_402_300_799_999L;

    private PipelineValidator()
    {
    }

    /**
     * @param where maps a field path to the prefix for its messages (a file position, or the path alone).
     */
    static List<String> validate(final PipelineSpec spec, final Function<String, String> where)
    {
        final List<String> problems = new ArrayList<>();
        if (spec.name() == null || spec.name().isBlank())
        {
            problems.add(where.apply("name") + ": expected a non-empty pipeline name");
        }

        final SourceSpec source = spec.source();
        if (source.topics().isEmpty())
        {
            problems.add(where.apply("source.topics") + ": expected at least one topic");
        }
        for (int i = 0; i < source.topics().size(); i++)
        {
            checkTopic(problems, where, "source.topics[" + i + "]", source.topics().get(i));
        }
        if (source.groupId() == null || source.groupId().isBlank())
        {
            problems.add(where.apply("source.group-id") + ": expected a non-empty consumer group id");
        }

        if (source.partitionIdleMs() < 0)
        {
            problems.add(where.apply("source.partition-idle-ms") + ": expected an integer >= 0 (0: never idle), was " +
                source.partitionIdleMs());
        }
        final boolean json = source.format() == InputFormat.JSON;
        if (!json && (null != source.keyField() || null != source.timestampField()))
        {
            problems.add(where.apply("source.format") + ": key-field and timestamp-field need format: json");
        }

        final List<TaskSpec> tasks = spec.tasks();
        final FieldTaskValidator fieldTasks = new FieldTaskValidator(problems, where, json);
        for (int i = 0; i < tasks.size(); i++)
        {
            final String path = "tasks[" + i + "]";
            final TaskSpec task = tasks.get(i);
            if (fieldTasks.check(path, task) && !(task instanceof FilterTaskSpec))
            {
                if (task instanceof RouteTaskSpec route)
                {
                    checkTopic(problems, where, path + ".topic", route.topic());
                }
                if (task instanceof FunctionTaskSpec function)
                {
                    for (int r = 0; r < function.routes().size(); r++)
                    {
                        checkTopic(problems, where, path + ".routes[" + r + "]", function.routes().get(r));
                    }
                }
                if (task instanceof AnomalyTaskSpec anomaly && null != anomaly.topic())
                {
                    checkTopic(problems, where, path + ".topic", anomaly.topic());
                }
                if (task instanceof LearnTaskSpec learn && !learn.perKey() && spec.engine().workers() > 1)
                {
                    problems.add(where.apply(path + ".per-key") + ": one model for the pipeline needs one worker " +
                        "(each of engine.workers: " + spec.engine().workers() + " would learn its own from its " +
                        "share of the keys): set per-key: true or engine.workers: 1");
                }
                continue;
            }
            if (task instanceof WindowTaskSpec window)
            {
                if (window.range() < 1)
                {
                    problems.add(where.apply(path + ".range") + ": expected an integer >= 1, was " + window.range());
                }
                checkAggregations(problems, where, path, window.aggregations(), window.output(), window.valueKind());
                checkValueFields(problems, where, path, json, window.valueFields(), window.output());
                if (window.slide() < 1)
                {
                    problems.add(where.apply(path + ".slide") + ": expected an integer >= 1, was " + window.slide());
                }
            }
            else if (task instanceof TimeWindowTaskSpec window)
            {
                checkTimeWindow(problems, where, path, window, json);
            }
            else if (task instanceof GlobalWindowTaskSpec global)
            {
                checkAggregations(problems, where, path, global.aggregations(), global.output(), global.valueKind());
                checkValueFields(problems, where, path, json, global.valueFields(), global.output());
                if (global.slide() < 1)
                {
                    problems.add(where.apply(path + ".slide") + ": expected an integer >= 1, was " + global.slide());
                }
            }
            else if (task instanceof SessionWindowTaskSpec session)
            {
                checkEarlyResults(problems, where, path, session.earlyResultsMs(), session.output());
                checkAggregations(problems, where, path, session.aggregations(), session.output(),
                    session.valueKind());
                checkValueFields(problems, where, path, json, session.valueFields(), session.output());
                if (session.gapMs() < 1)
                {
                    problems.add(where.apply(path + ".gap-ms") + ": expected an integer >= 1, was " + session.gapMs());
                }
                if (session.outOfOrdernessMs() < 0)
                {
                    problems.add(where.apply(path + ".out-of-orderness-ms") + ": expected an integer >= 0, was " +
                        session.outOfOrdernessMs());
                }
                if (session.allowedLatenessMs() < 0)
                {
                    problems.add(where.apply(path + ".allowed-lateness-ms") + ": expected an integer >= 0, was " +
                        session.allowedLatenessMs());
                }
                checkEventTimeSpans(problems, where, path, "gap-ms", session.gapMs(), session.outOfOrdernessMs(),
                    session.allowedLatenessMs());
            }
            else if (task instanceof FilterTaskSpec filter)
            {
                if (!(filter.min() <= filter.max()))
                {
                    problems.add(where.apply(path) + ": expected min <= max, was min " + filter.min() +
                        " and max " + filter.max());
                }
            }
            else if (task instanceof FormatTaskSpec format && format.template() == null)
            {
                problems.add(where.apply(path + ".template") + ": expected a template string");
            }
        }

        final SinkSpec sink = spec.sink();
        checkTopic(problems, where, "sink.topic", sink.topic());
        if (sink.hasDeadLetterTopic())
        {
            checkTopic(problems, where, "sink.dead-letter-topic", sink.deadLetterTopic());
        }
        if (sink.hasLateTopic())
        {
            checkTopic(problems, where, "sink.late-topic", sink.lateTopic());
        }
        for (final String topic : source.topics())
        {
            if (topic.equals(sink.topic()) || topic.equals(sink.deadLetterTopic()) || topic.equals(sink.lateTopic()))
            {
                problems.add(where.apply("sink.topic") + ": expected an output topic other than the input topic '" +
                    topic + "' (the pipeline would read its own output)");
            }
        }

        final JournalSpec journal = spec.journal();
        if (journal.enabled() && (null == journal.dir() || journal.dir().isBlank()))
        {
            problems.add(where.apply("journal.dir") + ": expected a directory path");
        }
        if (journal.snapshotIntervalMs() < 0)
        {
            problems.add(where.apply("journal.snapshot-interval-ms") + ": expected an integer >= 0 (0: no " +
                "snapshots), was " + journal.snapshotIntervalMs());
        }
        if (journal.retentionHours() < JournalSpec.KEEP_FOREVER)
        {
            problems.add(where.apply("journal.retention-hours") + ": expected an integer >= 0, or -1 to keep " +
                "every file, was " + journal.retentionHours());
        }
        if (journal.minFreeMb() < 0)
        {
            problems.add(where.apply("journal.min-free-mb") + ": expected an integer >= 0, was " + journal.minFreeMb());
        }
        if (sink.isExactlyOnce() && !journal.enabled())
        {
            problems.add(where.apply("sink.delivery") + ": exactly-once needs the journal (journal.enabled: " +
                "true), or choose at-least-once");
        }

        checkState(spec, where, problems);

        final EngineSpec engine = spec.engine();
        for (final Map.Entry<String, String> cpu : engine.cpus().entrySet())
        {
            if (!EngineSpec.THREAD_ROLES.contains(cpu.getKey()))
            {
                problems.add(where.apply("engine.cpus") + ": unknown thread role '" + cpu.getKey() + "'; expected " +
                    "one of " + String.join(", ", EngineSpec.THREAD_ROLES));
                continue;
            }
            try
            {
                CpuList.parse(cpu.getValue());
            }
            catch (final IllegalArgumentException ex)
            {
                problems.add(where.apply("engine.cpus." + cpu.getKey()) + ": " + ex.getMessage());
            }
        }
        if (engine.workers() < 1 || engine.workers() > EngineSpec.MAX_WORKERS)
        {
            problems.add(where.apply("engine.workers") + ": expected an integer from 1 to " + EngineSpec.MAX_WORKERS +
                ", was " + engine.workers());
        }
        else if (engine.workers() > 1 && null != source.keyField() && !spec.state().perPartition())
        {
            problems.add(where.apply("engine.workers") + ": sharding across workers goes by the record key, but " +
                "source.key-field keys the windows by a field of the value; use 1 worker, or key the records");
        }
        else if (engine.workers() > 1 && hasKeyBy(spec) && !spec.state().perPartition())
        {
            problems.add(where.apply("engine.workers") + ": sharding across workers goes by the record key as " +
                "received, but key-by re-keys the events; use 1 worker, or key the records");
        }
        if (null != source.keyField() && hasKeyBy(spec))
        {
            problems.add(where.apply("source.key-field") + ": key-by already keys the events; give one of the two");
        }
        final int capacity = engine.ringCapacity();
        if (capacity < 2 || capacity > MAX_RING_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            problems.add(where.apply("engine.ring-capacity") + ": expected a power of two from 2 to " +
                MAX_RING_CAPACITY + ", was " + capacity);
        }
        if (engine.idleWatermarkMs() < 0)
        {
            problems.add(where.apply("engine.idle-watermark-ms") + ": expected an integer >= 0 (0: off), was " +
                engine.idleWatermarkMs());
        }
        if (engine.idleKeyTimeoutMs() < 0)
        {
            problems.add(where.apply("engine.idle-key-timeout-ms") + ": expected an integer >= 0 (0: never), was " +
                engine.idleKeyTimeoutMs());
        }
        if (engine.commitIntervalMs() < 1)
        {
            problems.add(where.apply("engine.commit-interval-ms") + ": expected an integer >= 1, was " +
                engine.commitIntervalMs());
        }
        return problems;
    }

    private static void checkAggregations(final List<String> problems, final Function<String, String> where,
        final String path, final List<Aggregation> aggregations, final OutputFormat output, final ValueKind kind)
    {
        if (aggregations.isEmpty())
        {
            problems.add(where.apply(path + ".aggregation") + ": expected at least one aggregation");
        }
        if (output == OutputFormat.TEXT && aggregations.size() > 1)
        {
            problems.add(where.apply(path + ".output") + ": text output holds one aggregation, " +
                aggregations.size() + " were given; use output: json");
        }
        if (null == output)
        {
            problems.add(where.apply(path + ".output") + ": expected text or json");
        }
        if (null == kind)
        {
            problems.add(where.apply(path + ".value-type") + ": expected long or double");
        }
    }

    private static void checkValueFields(final List<String> problems, final Function<String, String> where,
        final String path, final boolean json, final List<String> valueFields, final OutputFormat output)
    {
        if (json && valueFields.isEmpty())
        {
            problems.add(where.apply(path + ".value-fields") + ": JSON input needs the fields to aggregate, e.g. " +
                "value-fields: [temp]");
        }
        if (!json && !valueFields.isEmpty())
        {
            problems.add(where.apply(path + ".value-fields") + ": value fields need source.format: json");
        }
        if (output == OutputFormat.TEXT && valueFields.size() > 1)
        {
            problems.add(where.apply(path + ".output") + ": text output holds one value field, " +
                valueFields.size() + " were given; use output: json");
        }
    }

    private static void checkTimeWindow(final List<String> problems, final Function<String, String> where,
        final String path, final TimeWindowTaskSpec window, final boolean json)
    {
        checkAggregations(problems, where, path, window.aggregations(), window.output(), window.valueKind());
        checkValueFields(problems, where, path, json, window.valueFields(), window.output());
        checkEarlyResults(problems, where, path, window.earlyResultsMs(), window.output());
        if (window.sizeMs() < 1)
        {
            problems.add(where.apply(path + ".size-ms") + ": expected an integer >= 1, was " + window.sizeMs());
            return;
        }
        if (window.advanceMs() < 1 || window.advanceMs() > window.sizeMs())
        {
            problems.add(where.apply(path + ".advance-ms") + ": expected an integer from 1 to size-ms (" +
                window.sizeMs() + "), was " + window.advanceMs());
            return;
        }
        if (window.outOfOrdernessMs() < 0)
        {
            problems.add(where.apply(path + ".out-of-orderness-ms") + ": expected an integer >= 0, was " +
                window.outOfOrdernessMs());
        }
        if (window.allowedLatenessMs() < 0)
        {
            problems.add(where.apply(path + ".allowed-lateness-ms") + ": expected an integer >= 0, was " +
                window.allowedLatenessMs());
        }
        checkEventTimeSpans(problems, where, path, "size-ms", window.sizeMs(), window.outOfOrdernessMs(),
            window.allowedLatenessMs());
        final long pane = gcd(window.sizeMs(), window.advanceMs());
        final long span = window.sizeMs() + Math.max(0, window.outOfOrdernessMs()) +
            Math.max(0, window.allowedLatenessMs());
        if (span / pane > MAX_PANES_PER_KEY)
        {
            problems.add(where.apply(path) + ": size-ms, out-of-orderness-ms and allowed-lateness-ms span " +
                span / pane + " panes of gcd(size-ms, advance-ms) = " + pane + " ms per key; expected at most " +
                MAX_PANES_PER_KEY + " (use an advance that divides the size, or less out-of-orderness)");
        }
    }

    /**
     * Durations of an event-time task: none may exceed the span of valid event times (year 0 to 9999 in ms), so
     * that an event time plus any of them cannot overflow.
     */
    private static void checkEventTimeSpans(final List<String> problems, final Function<String, String> where,
        final String path, final String lengthKey, final long lengthMs, final long outOfOrdernessMs,
        final long allowedLatenessMs)
    {
        final String[] keys = {lengthKey, "out-of-orderness-ms", "allowed-lateness-ms"};
        final long[] values = {lengthMs, outOfOrdernessMs, allowedLatenessMs};
        for (int i = 0; i < keys.length; i++)
        {
            if (values[i] > MAX_EVENT_TIME_SPAN_MS)
            {
                problems.add(where.apply(path + "." + keys[i]) + ": expected at most " + MAX_EVENT_TIME_SPAN_MS +
                    " (the last millisecond of year 9999), was " + values[i]);
            }
        }
    }

    private static void checkEarlyResults(final List<String> problems, final Function<String, String> where,
        final String path, final long earlyResultsMs, final OutputFormat output)
    {
        if (earlyResultsMs < 0)
        {
            problems.add(where.apply(path + ".early-results-ms") + ": expected an integer >= 0 (0: none), was " +
                earlyResultsMs);
        }
        if (earlyResultsMs > 0 && output == OutputFormat.TEXT)
        {
            problems.add(where.apply(path + ".early-results-ms") + ": early results need output: json, which " +
                "marks them \"final\":false");
        }
    }

    /** The consumer's max.poll.interval.ms: source.consumer's, else kafka's, else Kafka's default of 5 minutes. */
    private static long maxPollIntervalMs(final PipelineSpec spec)
    {
        final String key = "max.poll.interval.ms";
        final String value = spec.source().consumer().getOrDefault(key, spec.kafka().get(key));
        try
        {
            return null == value ? 300_000L : Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            // Kafka's own configuration check names it when the consumer is made.
            return Long.MAX_VALUE;
        }
    }

    private static long gcd(final long a, final long b)
    {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Partition-scoped state is handed over in the transaction of the partition's outputs, and is exact only when
     * every key's records are in one input partition, which a key taken from elsewhere than the record key breaks.
     */
    private static void checkState(final PipelineSpec spec, final Function<String, String> where,
        final List<String> problems)
    {
        final StateSpec state = spec.state();
        if (state.publishIntervalMs() < 1)
        {
            problems.add(where.apply("state.publish-interval-ms") + ": expected an integer >= 1, was " +
                state.publishIntervalMs());
        }
        if (state.restoreTimeoutMs() < 1)
        {
            problems.add(where.apply("state.restore-timeout-ms") + ": expected an integer >= 1, was " +
                state.restoreTimeoutMs());
        }
        if (null != state.topic() && state.topic().isBlank())
        {
            problems.add(where.apply("state.topic") + ": expected a topic name");
        }
        if (state.standbyReplicas() != 0 && state.standbyReplicas() != 1)
        {
            problems.add(where.apply("state.standby-replicas") + ": expected 0 (none) or 1 (this daemon keeps a " +
                "warm copy of the latest published state of every input partition it does not own, so that it " +
                "can take any of them over without reading the state topic), was " + state.standbyReplicas());
        }
        if (!state.perPartition())
        {
            if (state.standbyReplicas() != 0)
            {
                problems.add(where.apply("state.standby-replicas") + ": a standby keeps a warm copy of other " +
                    "daemons' partition state, which exists only with state.scope: partition");
            }
            return;
        }
        final long maxPollIntervalMs = maxPollIntervalMs(spec);
        if (state.restoreTimeoutMs() >= maxPollIntervalMs)
        {
            problems.add(where.apply("state.restore-timeout-ms") + ": " + state.restoreTimeoutMs() + " must be " +
                "below the consumer's max.poll.interval.ms (" + maxPollIntervalMs + "): a take-over reads the " +
                "state inside the consumer's rebalance callback, and a longer one makes the group drop this daemon");
        }
        if (!spec.sink().isExactlyOnce())
        {
            problems.add(where.apply("state.scope") + ": partition state is handed over to the next owner in the " +
                "Kafka transaction that commits the partition's outputs and offsets, so it needs sink.delivery: " +
                "exactly-once");
        }
        if (null != spec.source().keyField())
        {
            problems.add(where.apply("state.scope") + ": partition state is exact only when each key's records are " +
                "in one input partition, and source.key-field keys the events by a field the partitioner never " +
                "saw; produce the records keyed by that field and drop key-field, or use state.scope: key");
        }
        if (hasKeyBy(spec))
        {
            problems.add(where.apply("state.scope") + ": partition state is exact only when each key's records are " +
                "in one input partition, and key-by re-keys them across partitions; produce the records keyed " +
                "by that field and drop key-by, or use state.scope: key");
        }
        final String topic = state.topicFor(spec.name());
        if (spec.source().topics().contains(topic) || topic.equals(spec.sink().topic()))
        {
            problems.add(where.apply("state.topic") + ": expected a topic of its own, not one the pipeline reads " +
                "or writes ('" + topic + "')");
        }
    }

    private static boolean hasKeyBy(final PipelineSpec spec)
    {
        for (final TaskSpec task : spec.tasks())
        {
            if (task instanceof KeyByTaskSpec)
            {
                return true;
            }
        }
        return false;
    }

    private static void checkTopic(
        final List<String> problems, final Function<String, String> where, final String path, final String topic)
    {
        if (topic == null)
        {
            problems.add(where.apply(path) + ": expected a topic name");
        }
        else if (!TOPIC_NAME.matcher(topic).matches() || ".".equals(topic) || "..".equals(topic))
        {
            problems.add(where.apply(path) + ": expected a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -), was '" +
                topic + "'");
        }
    }
}
