package dev.ringflow.engine.pipeline;

import dev.ringflow.engine.pipeline.EngineSpec.WaitStrategyKind;
import dev.ringflow.engine.pipeline.SourceSpec.StartFrom;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link PipelineSpec} in code, with the same defaults and validation as a pipeline file.
 * <pre>{@code
 * PipelineSpec spec = PipelineBuilder.named("sliding-sum")
 *     .source("my-topic")
 *     .window(5, 1, Aggregation.SUM, ValueKind.LONG)
 *     .sink("aggregated-topic")
 *     .build();
 * }</pre>
 */
public final class PipelineBuilder
{
    private final String name;
    private final List<String> topics = new ArrayList<>();
    private String groupId;
    private StartFrom startFrom = StartFrom.EARLIEST;
    private final Map<String, String> consumer = new LinkedHashMap<>();
    private InputFormat format = InputFormat.TEXT;
    private String keyField;
    private String timestampField;
    private long partitionIdleMs;
    private final List<TaskSpec> tasks = new ArrayList<>();
    private String sinkTopic;
    private String deadLetterTopic;
    private String lateTopic;
    private boolean createTopics = true;
    private final Map<String, String> producer = new LinkedHashMap<>();
    private final Map<String, String> kafka = new LinkedHashMap<>();
    private int ringCapacity = EngineSpec.DEFAULT_RING_CAPACITY;
    private WaitStrategyKind waitStrategy = WaitStrategyKind.BLOCKING;
    private long commitIntervalMs = EngineSpec.DEFAULT_COMMIT_INTERVAL_MS;
    private long idleKeyTimeoutMs;
    private long idleWatermarkMs;
    private JournalSpec journal;
    private final Map<String, String> cpus = new LinkedHashMap<>();
    private int workers = 1;
    private SinkSpec.Delivery delivery;
    private StateSpec state = StateSpec.defaults();

    private PipelineBuilder(final String name)
    {
        this.name = name;
    }

    public static PipelineBuilder named(final String name)
    {
        return new PipelineBuilder(name);
    }

    public PipelineBuilder source(final String... topics)
    {
        this.topics.addAll(List.of(topics));
        return this;
    }

    public PipelineBuilder groupId(final String groupId)
    {
        this.groupId = groupId;
        return this;
    }

    public PipelineBuilder startFrom(final StartFrom startFrom)
    {
        this.startFrom = startFrom;
        return this;
    }

    public PipelineBuilder consumerProperty(final String key, final String value)
    {
        consumer.put(key, value);
        return this;
    }

    public PipelineBuilder window(final int range, final int slide, final Aggregation aggregation, final ValueKind kind)
    {
        tasks.add(new WindowTaskSpec(range, slide, aggregation, kind));
        return this;
    }

    /** A count window with several aggregations, or JSON output. */
    public PipelineBuilder window(final int range, final int slide, final List<Aggregation> aggregations,
        final ValueKind kind, final OutputFormat output)
    {
        tasks.add(new WindowTaskSpec(range, slide, aggregations, kind, List.of(), output));
        return this;
    }

    /** Event-time windows on the record timestamp; see {@link TimeWindowTaskSpec}. */
    public PipelineBuilder timeWindow(final long sizeMs, final long advanceMs, final long outOfOrdernessMs,
        final long allowedLatenessMs, final List<Aggregation> aggregations, final ValueKind kind,
        final OutputFormat output)
    {
        tasks.add(new TimeWindowTaskSpec(sizeMs, advanceMs, outOfOrdernessMs, allowedLatenessMs, aggregations, kind,
            List.of(), output));
        return this;
    }

    /** Any task, e.g. a window over JSON value fields. */
    public PipelineBuilder task(final TaskSpec task)
    {
        tasks.add(task);
        return this;
    }

    /**
     * Reads values as flat JSON objects.
     *
     * @param keyField       the field that keys windows, or null for the record key.
     * @param timestampField the field with the event time in ms, or null for the record timestamp.
     */
    public PipelineBuilder jsonInput(final String keyField, final String timestampField)
    {
        this.format = InputFormat.JSON;
        this.keyField = keyField;
        this.timestampField = timestampField;
        return this;
    }

    /**
     * Lets an input partition without records stop holding back the watermark of event-time windows once the
     * latest event time seen has moved {@code partitionIdleMs} past where it was at that partition's last record.
     */
    public PipelineBuilder partitionIdleMs(final long partitionIdleMs)
    {
        this.partitionIdleMs = partitionIdleMs;
        return this;
    }

    public PipelineBuilder format(final String template)
    {
        tasks.add(new FormatTaskSpec(template));
        return this;
    }

    public PipelineBuilder filter(final double min, final double max)
    {
        tasks.add(new FilterTaskSpec(min, max));
        return this;
    }

    /** Keeps the JSON events for which {@code condition} holds. */
    public PipelineBuilder where(final String condition)
    {
        tasks.add(new FilterTaskSpec(condition));
        return this;
    }

    /** Sets computed fields, in order: field name, expression, field name, expression... */
    public PipelineBuilder set(final String... namesAndExpressions)
    {
        if (namesAndExpressions.length % 2 != 0)
        {
            throw new IllegalArgumentException("expected pairs of field name and expression");
        }
        final java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndExpressions.length; i += 2)
        {
            fields.put(namesAndExpressions[i], namesAndExpressions[i + 1]);
        }
        tasks.add(new SetTaskSpec(fields));
        return this;
    }

    public PipelineBuilder select(final String... fields)
    {
        tasks.add(new SelectTaskSpec(List.of(fields)));
        return this;
    }

    public PipelineBuilder drop(final String... fields)
    {
        tasks.add(new DropTaskSpec(List.of(fields)));
        return this;
    }

    /** Re-keys JSON events by a field or an expression. */
    public PipelineBuilder keyBy(final String expression)
    {
        tasks.add(new KeyByTaskSpec(expression));
        return this;
    }

    /** Sends the JSON events for which {@code when} holds to {@code topic}; they go on only if {@code continueFlow}. */
    public PipelineBuilder route(final String when, final String topic, final boolean continueFlow)
    {
        tasks.add(new RouteTaskSpec(when, topic, continueFlow));
        return this;
    }

    public PipelineBuilder sink(final String topic)
    {
        this.sinkTopic = topic;
        return this;
    }

    public PipelineBuilder deadLetterTopic(final String topic)
    {
        this.deadLetterTopic = topic;
        return this;
    }

    public PipelineBuilder lateTopic(final String topic)
    {
        this.lateTopic = topic;
        return this;
    }

    public PipelineBuilder createTopics(final boolean createTopics)
    {
        this.createTopics = createTopics;
        return this;
    }

    public PipelineBuilder producerProperty(final String key, final String value)
    {
        producer.put(key, value);
        return this;
    }

    public PipelineBuilder kafkaProperty(final String key, final String value)
    {
        kafka.put(key, value);
        return this;
    }

    /**
     * Pins the engine's threads of a role ({@code source}, {@code worker}, {@code journal}) to CPUs, e.g.
     * {@code cpu("worker", "1")}.
     */
    public PipelineBuilder cpu(final String role, final String cpuList)
    {
        cpus.put(role, cpuList);
        return this;
    }

    /** Shards keyed work across {@code workers} threads by record key (1, the default, is the fast path). */
    public PipelineBuilder workers(final int workers)
    {
        this.workers = workers;
        return this;
    }

    public PipelineBuilder ringCapacity(final int ringCapacity)
    {
        this.ringCapacity = ringCapacity;
        return this;
    }

    public PipelineBuilder waitStrategy(final WaitStrategyKind waitStrategy)
    {
        this.waitStrategy = waitStrategy;
        return this;
    }

    public PipelineBuilder commitIntervalMs(final long commitIntervalMs)
    {
        this.commitIntervalMs = commitIntervalMs;
        return this;
    }

    /** Forget window state of keys idle this long in record time; 0 (the default) never forgets. */
    public PipelineBuilder idleKeyTimeoutMs(final long idleKeyTimeoutMs)
    {
        this.idleKeyTimeoutMs = idleKeyTimeoutMs;
        return this;
    }

    /** Advance event-time watermarks on wall-clock time after this much idle input; 0 (the default) never. */
    public PipelineBuilder idleWatermarkMs(final long idleWatermarkMs)
    {
        this.idleWatermarkMs = idleWatermarkMs;
        return this;
    }

    /**
     * Journals input to {@code dir}. By default, as in a pipeline file, the journal is on, in
     * {@code journal/<name>}, and delivery is exactly once.
     */
    public PipelineBuilder journal(final String dir, final JournalSpec.RollCycle rollCycle)
    {
        this.journal = new JournalSpec(true, dir, rollCycle);
        return this;
    }

    /** No journal: no recovery or replay, and at-least-once delivery. */
    public PipelineBuilder noJournal()
    {
        this.journal = JournalSpec.disabled();
        return this;
    }

    private JournalSpec journalSpec()
    {
        return null == journal ? JournalSpec.defaults(name) : journal;
    }

    /** What keyed state belongs to, and how it moves between daemons ({@code state} in a pipeline file). */
    public PipelineBuilder state(final StateSpec state)
    {
        this.state = state;
        return this;
    }

    public PipelineBuilder delivery(final SinkSpec.Delivery delivery)
    {
        this.delivery = delivery;
        return this;
    }

    /**
     * @throws PipelineValidationException naming every problem.
     */
    public PipelineSpec build()
    {
        final PipelineSpec spec = new PipelineSpec(
            name,
            new SourceSpec(topics, null == groupId ? "ringflow-" + name : groupId, startFrom, consumer, format,
                keyField, timestampField, partitionIdleMs),
            tasks,
            new SinkSpec(sinkTopic, deadLetterTopic, lateTopic, createTopics, producer,
                null != delivery ? delivery : journalSpec().enabled() ?
                    SinkSpec.Delivery.EXACTLY_ONCE : SinkSpec.Delivery.AT_LEAST_ONCE),
            kafka,
            new EngineSpec(ringCapacity, waitStrategy, commitIntervalMs, idleKeyTimeoutMs,
                idleWatermarkMs, cpus, workers),
            journalSpec(),
            state);
        return spec.validate("'" + name + "'");
    }
}
