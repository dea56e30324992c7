package dev.ringflow.bench.e2e;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.SinkSpec;
import dev.ringflow.engine.pipeline.SourceSpec;
import dev.ringflow.io.kafka.KafkaPipeline;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * (c) Ringflow running the seed sliding-sum pipeline from topic to topic, with its own consumer group, output
 * topic and journal directory, until every output is committed.
 */
final class RingflowScenario
{
    private static final long CONNECT_TIMEOUT_MS = 30_000;

    private RingflowScenario()
    {
    }

    /**
     * The seed pipeline reading {@code input} as group {@code groupId} and writing {@code output} (dead letters to
     * {@code output-dead-letters}); tasks, engine, delivery and client settings stay as the pipeline file has
     * them.
     */
    static PipelineSpec retarget(final PipelineSpec seed, final String input, final String output, final String groupId)
    {
        final SourceSpec source = seed.source();
        final SinkSpec sink = seed.sink();
        return new PipelineSpec(seed.name(),
            new SourceSpec(List.of(input), groupId, source.startFrom(), source.consumer(), source.format(),
                source.keyField(), source.timestampField()),
            seed.tasks(),
            new SinkSpec(output, output + "-dead-letters", sink.lateTopic(), sink.createTopics(), sink.producer(),
                sink.delivery()),
            seed.kafka(), seed.engine(), seed.journal());
    }

    /**
     * Runs {@code spec} (already retargeted, with servers and journal set) until its group has committed
     * {@code inputEnds}, then closes the engine.
     */
    static ScenarioResult run(final String name, final PipelineSpec spec, final String servers,
        final Map<TopicPartition, Long> inputEnds)
    {
        final long records = GroupOffsets.sum(inputEnds);
        try (GroupOffsets offsets = new GroupOffsets(servers))
        {
            final long startNs = System.nanoTime();
            final ProgressWatch.Timing timing;
            try (Engine engine = KafkaPipeline.start(spec, CONNECT_TIMEOUT_MS))
            {
                timing = ProgressWatch.await(name, startNs, ProgressWatch.deadlineFor(records),
                    () -> engine.counters().eventsIn(),
                    () -> offsets.hasCommitted(spec.source().groupId(), inputEnds),
                    engine::failure);
                if (engine.counters().eventsOut() != records)
                {
                    throw new IllegalStateException(name + " emitted " + engine.counters().eventsOut() +
                        " outputs for " + records + " inputs");
                }
            }
            return new ScenarioResult(name, records, timing);
        }
    }

    static String journalDirName(final Path workDir, final String scenario)
    {
        return workDir.resolve("journal-" + scenario).toString();
    }
}
