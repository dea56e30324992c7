package dev.ringflow.engine.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A validated pipeline: where events come from, the tasks they pass through in order, where results go.
 * Built from a pipeline file by {@link PipelineFile} or in code with {@link PipelineBuilder}.
 *
 * @param name     the pipeline's name, used in logs and as the default consumer group suffix.
 * @param source   the input topics and how to start reading them.
 * @param tasks    the tasks, applied in order to every event.
 * @param sink     the output topic and optional dead-letter topic.
 * @param kafka    client properties passed to both the consumer and the producer (bootstrap.servers, security).
 * @param engine   ring and thread settings.
 * @param journal  where input is journaled for recovery and replay.
 * @param state    what keyed state belongs to (a key, or an input partition) and how it moves between daemons.
 */
public record PipelineSpec(
    String name,
    SourceSpec source,
    List<TaskSpec> tasks,
    SinkSpec sink,
    Map<String, String> kafka,
    EngineSpec engine,
    JournalSpec journal,
    StateSpec state)
{
    public PipelineSpec
    {
        tasks = List.copyOf(tasks);
        kafka = Map.copyOf(kafka);
        state = null == state ? StateSpec.defaults() : state;
    }

    /** A pipeline whose keyed state is per key ({@link StateSpec#defaults()}). */
    public PipelineSpec(final String name, final SourceSpec source, final List<TaskSpec> tasks, final SinkSpec sink,
        final Map<String, String> kafka, final EngineSpec engine, final JournalSpec journal)
    {
        this(name, source, tasks, sink, kafka, engine, journal, StateSpec.defaults());
    }

    /**
     * Checks this pipeline as loading it does, for a spec that command-line flags have changed since.
     *
     * @param origin where the pipeline and the changes came from, for the message, e.g. the file and the flags.
     * @return this pipeline.
     * @throws PipelineValidationException with every problem found.
     */
    public PipelineSpec validate(final String origin)
    {
        final List<String> problems = PipelineValidator.validate(this, path -> path);
        if (!problems.isEmpty())
        {
            throw new PipelineValidationException(origin, problems);
        }
        return this;
    }

    /**
     * A copy of this pipeline with {@code bootstrap.servers} replaced, as the {@code --bootstrap-servers} flag does.
     */
    public PipelineSpec withBootstrapServers(final String bootstrapServers)
    {
        final java.util.Map<String, String> props = new java.util.LinkedHashMap<>(kafka);
        props.put("bootstrap.servers", bootstrapServers);
        return new PipelineSpec(name, source, tasks, sink, props, engine, journal, state);
    }

    /**
     * A copy of this pipeline journaling to {@code dir}, as the {@code --journal-dir} flag does.
     */
    public PipelineSpec withJournalDir(final String dir)
    {
        return new PipelineSpec(name, source, tasks, sink, kafka, engine, journal.withDir(dir), state);
    }

    /**
     * A copy of this pipeline with {@code workers} worker threads, as the {@code --workers} flag does.
     */
    public PipelineSpec withWorkers(final int workers)
    {
        final EngineSpec e = engine;
        return new PipelineSpec(name, source, tasks, sink, kafka, new EngineSpec(e.ringCapacity(), e.waitStrategy(),
            e.commitIntervalMs(), e.idleKeyTimeoutMs(), e.idleWatermarkMs(), e.cpus(), workers), journal, state);
    }

    /**
     * A copy of this pipeline with some threads pinned to CPUs, as the {@code --cpu} flag does.
     */
    public PipelineSpec withCpus(final Map<String, String> cpus)
    {
        return new PipelineSpec(name, source, tasks, sink, kafka, engine.withCpus(cpus), journal, state);
    }

    /**
     * A copy of this pipeline without a journal (and so with at-least-once delivery).
     */
    public PipelineSpec withoutJournal()
    {
        final SinkSpec atLeastOnce = new SinkSpec(sink.topic(), sink.deadLetterTopic(), sink.lateTopic(),
            sink.createTopics(), sink.producer(), SinkSpec.Delivery.AT_LEAST_ONCE);
        return new PipelineSpec(name, source, tasks, atLeastOnce, kafka, engine, JournalSpec.disabled(), state);
    }

    /**
     * This pipeline as {@code ringflow replay} runs it over a journal: no journal of its own, and no ticks from the
     * wall clock (the journal's own ticks are replayed instead).
     */
    public PipelineSpec forReplay()
    {
        final PipelineSpec offline = withoutJournal();
        final EngineSpec e = engine;
        return new PipelineSpec(name, source, tasks, offline.sink, kafka,
            new EngineSpec(e.ringCapacity(), e.waitStrategy(), e.commitIntervalMs(), e.idleKeyTimeoutMs(), 0,
                e.cpus(), e.workers()),
            offline.journal, state);
    }

    /**
     * True when a task keeps per-key state, so output for one key must stay on one output partition.
     */
    public boolean isKeyed()
    {
        for (final TaskSpec task : tasks)
        {
            if (task instanceof WindowTaskSpec || task instanceof TimeWindowTaskSpec ||
                task instanceof SessionWindowTaskSpec || task instanceof GlobalWindowTaskSpec ||
                task instanceof FunctionTaskSpec function && function.isKeyed())
            {
                return true;
            }
        }
        return false;
    }
}
