package dev.ringflow.io.metrics;

import dev.ringflow.engine.EngineCounters;
import dev.ringflow.engine.EngineMetrics;
import dev.ringflow.engine.LatencyStage;
import dev.ringflow.io.kafka.KafkaSinkMetrics;
import dev.ringflow.io.kafka.KafkaSourceMetrics;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.TopicPartition;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@code /status.json} document: what {@code ringflow status} prints. Rates and busy ratio are over the last
 * few seconds; latency quantiles over the last 5 to 10 seconds.
 * <pre>
 * {"status":"ready","reason":null,"pipelines":[{"name":..., "ready":true, "reason":null,
 *   "in_per_second":..., "out_per_second":..., "busy_ratio":..., "events_in":..., "events_out":...,
 *   "bad_input":..., "dead_lettered":..., "late":..., "ring_used":..., "ring_capacity":...,
 *   "latency":{"count":..., "p50_ms":..., "p99_ms":..., "p999_ms":...},
 *   "last_commit_epoch_ms":..., "last_commit_ms":..., "commit_p99_ms":..., "commits":..., "aborts":...,
 *   "partitions":[{"topic":..., "partition":..., "consumed":..., "lag":...}]}],
 *  "time_epoch_ms":...}
 * </pre>
 * The commit fields are there for a pipeline with a Kafka sink; {@code commit_p99_ms} only once it has committed
 * in the last 5 to 10 seconds. The dashboard reads the same document every second.
 */
final class StatusDocument
{
    private StatusDocument()
    {
    }

    static String write(final List<PipelineMetrics> pipelines, final String readyProblem)
    {
        final Json json = new Json().begin()
            .field("status", null == readyProblem ? "ready" : "not-ready")
            .field("reason", readyProblem)
            .beginArray("pipelines");
        for (final PipelineMetrics pipeline : pipelines)
        {
            synchronized (pipeline)
            {
                pipeline.takeIntervals();
                write(pipeline, json);
            }
        }
        return json.endArray().field("time_epoch_ms", System.currentTimeMillis()).end().toString();
    }

    private static void write(final PipelineMetrics pipeline, final Json json)
    {
        final String reason = pipeline.notReadyReason();
        final EngineCounters counters = pipeline.engine().counters();
        final double[] rates = pipeline.rates();
        json.begin()
            .field("name", pipeline.name())
            .field("ready", null == reason)
            .field("reason", reason)
            .field("in_per_second", rates[0])
            .field("out_per_second", rates[1])
            .field("busy_ratio", rates[2])
            .field("events_in", counters.eventsIn())
            .field("events_out", counters.eventsOut())
            .field("bad_input", counters.badInput())
            .field("dead_lettered", counters.deadLettered())
            .field("late", counters.late())
            .field("ring_used", pipeline.engineMetrics().ringUsed())
            .field("ring_capacity", pipeline.engineMetrics().ringCapacity());
        final Histogram recent = pipeline.latency(LatencyStage.END_TO_END).recent();
        json.beginObject("latency")
            .field("count", recent.getTotalCount())
            .field("p50_ms", recent.getValueAtPercentile(50) / 1e6)
            .field("p99_ms", recent.getValueAtPercentile(99) / 1e6)
            .field("p999_ms", recent.getValueAtPercentile(99.9) / 1e6)
            .end();
        final KafkaSinkMetrics sink = pipeline.sink();
        if (null != sink)
        {
            json.field("last_commit_epoch_ms", sink.lastCommitEpochMs())
                .field("last_commit_ms", sink.lastCommitNs() / 1e6);
            final Histogram commits = pipeline.commits().recent();
            if (commits.getTotalCount() > 0)
            {
                json.field("commit_p99_ms", commits.getValueAtPercentile(99) / 1e6);
            }
            json.field("commits", sink.commits())
                .field("aborts", sink.aborts());
        }
        json.beginArray("partitions");
        final KafkaSourceMetrics source = pipeline.source();
        if (null != source)
        {
            final List<Map.Entry<TopicPartition, KafkaSourceMetrics.PartitionMetrics>> partitions =
                source.partitions().entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<TopicPartition, ?> e) -> e.getKey().topic())
                        .thenComparingInt(e -> e.getKey().partition()))
                    .toList();
            for (final Map.Entry<TopicPartition, KafkaSourceMetrics.PartitionMetrics> entry : partitions)
            {
                json.begin()
                    .field("topic", entry.getKey().topic())
                    .field("partition", entry.getKey().partition())
                    .field("consumed", entry.getValue().consumed())
                    .field("lag", entry.getValue().lag())
                    .end();
            }
        }
        json.endArray();
        final List<EngineMetrics.ScoreSummary> scores = pipeline.engineMetrics().scoreTasks();
        final List<EngineMetrics.LearnSummary> learns = pipeline.engineMetrics().learnTasks();
        if (!scores.isEmpty() || !learns.isEmpty())
        {
            // The models serving now, by task: what the dashboard's model panel shows.
            json.beginArray("models");
            for (final EngineMetrics.ScoreSummary score : scores)
            {
                json.begin().field("name", score.name()).field("version", score.version())
                    .field("scored", score.scored());
                if (null != score.shadowVersion())
                {
                    json.field("shadow_version", score.shadowVersion()).field("shadow_compared", score.compared())
                        .field("shadow_agreement", score.agreement());
                }
                json.end();
            }
            for (final EngineMetrics.LearnSummary learn : learns)
            {
                json.begin().field("name", learn.label()).field("version", learn.version())
                    .field("updates", learn.updates()).end();
            }
            json.endArray();
        }
        json.end();
    }
}
