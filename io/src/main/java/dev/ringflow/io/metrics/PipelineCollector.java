package dev.ringflow.io.metrics;

import dev.ringflow.engine.EngineCounters;
import dev.ringflow.engine.EngineMetrics;
import dev.ringflow.engine.LatencyStage;
import dev.ringflow.engine.WorkerMetrics;
import dev.ringflow.io.kafka.KafkaSinkMetrics;
import dev.ringflow.io.kafka.KafkaSourceMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The Prometheus view of every registered pipeline: one family per metric, one {@code pipeline} label value per
 * pipeline. docs/operations.md lists the names; they are constants here so that tests and tools share them.
 * <p>
 * <b>Note:</b> Runs on the HTTP server's thread at each scrape; reads what the engine's threads write.
 */
final class PipelineCollector implements MultiCollector
{
    static final String EVENTS_IN = "ringflow_events_in";
    static final String EVENTS_REPLAYED = "ringflow_events_replayed";
    static final String EVENTS_OUT = "ringflow_events_out";
    static final String BAD_INPUT = "ringflow_bad_input";
    static final String DEAD_LETTERED = "ringflow_dead_lettered";
    static final String LATE = "ringflow_late";
    static final String RECORDS_CONSUMED = "ringflow_records_consumed";
    static final String RECORDS_PRODUCED = "ringflow_records_produced";
    static final String SEND_FAILURES = "ringflow_send_failures";
    static final String CONSUMER_LAG = "ringflow_consumer_lag_records";
    static final String ASSIGNED_PARTITIONS = "ringflow_assigned_partitions";
    static final String REBALANCES = "ringflow_rebalances";
    static final String STATE_TAKE_OVERS = "ringflow_state_take_overs";
    static final String STATE_BYTES_TAKEN_OVER = "ringflow_state_taken_over_bytes";
    static final String STATE_TAKE_OVER_SECONDS = "ringflow_state_take_over_seconds";
    static final String STATE_STANDBY_TAKE_OVERS = "ringflow_state_standby_take_overs";
    static final String STATE_JOURNAL_TAKE_OVERS = "ringflow_state_journal_take_overs";
    static final String STATE_COPY_WRITE_SECONDS = "ringflow_state_journal_copy_write_seconds";
    static final String STATE_STANDBY_BYTES = "ringflow_state_standby_bytes";
    static final String STATE_STANDBY_PARTITIONS = "ringflow_state_standby_partitions";
    static final String PARTITIONS_LOST = "ringflow_partitions_lost";
    static final String BACKPRESSURE = "ringflow_backpressure_seconds";
    static final String LATENCY = "ringflow_latency_seconds";
    static final String WORKER_BUSY = "ringflow_worker_busy_seconds";
    static final String RING_USED = "ringflow_ring_used_slots";
    static final String RING_CAPACITY = "ringflow_ring_capacity_slots";
    static final String COMMIT_DURATION = "ringflow_transaction_commit_seconds";
    static final String COMMITS = "ringflow_transactions_committed";
    static final String ABORTS = "ringflow_transactions_aborted";
    static final String LAST_COMMIT = "ringflow_transaction_last_commit_timestamp_seconds";
    static final String JOURNAL_APPENDS = "ringflow_journal_appends";
    static final String JOURNAL_SIZE = "ringflow_journal_size_bytes";
    static final String SNAPSHOTS = "ringflow_snapshots";
    static final String SNAPSHOT_AGE = "ringflow_snapshot_age_seconds";
    static final String SNAPSHOT_DURATION = "ringflow_snapshot_duration_seconds";
    static final String SNAPSHOT_SIZE = "ringflow_snapshot_size_bytes";
    static final String READY = "ringflow_ready";
    static final String LEARN_UPDATES = "ringflow_learn_updates";
    static final String LEARN_LOG_LOSS = "ringflow_learn_log_loss";
    static final String LEARN_AUC = "ringflow_learn_auc";
    static final String LEARN_MODEL = "ringflow_learn_model_info";
    static final String SCORE_MODEL = "ringflow_model_info";
    private static final String MODEL_HELP = "Always 1: the version label is the model the score task scores with " +
        "now, as scored events carry it in model_version (role live or shadow).";
    static final String SCORED = "ringflow_scored_events";
    static final String SHADOW_COMPARED = "ringflow_shadow_compared_events";
    static final String SHADOW_AGREED = "ringflow_shadow_agreed_events";

    private final Supplier<List<PipelineMetrics>> pipelines;

    PipelineCollector(final Supplier<List<PipelineMetrics>> pipelines)
    {
        this.pipelines = pipelines;
    }

    @Override
    public MetricSnapshots collect()
    {
        final MetricFamilies families = new MetricFamilies();
        for (final PipelineMetrics pipeline : pipelines.get())
        {
            synchronized (pipeline)
            {
                pipeline.takeIntervals();
                collect(pipeline, families);
            }
        }
        return families.build();
    }

    private static void collect(final PipelineMetrics pipeline, final MetricFamilies f)
    {
        final Labels labels = Labels.of("pipeline", pipeline.name());
        final EngineCounters counters = pipeline.engine().counters();
        f.counter(EVENTS_IN, "Inputs the workers processed (live and replayed).", counters.eventsIn(), labels);
        f.counter(EVENTS_REPLAYED, "Of the inputs, those replayed from the journal at recovery.",
            counters.replayed(), labels);
        f.counter(EVENTS_OUT, "Output records handed to the sink.", counters.eventsOut(), labels);
        f.counter(BAD_INPUT, "Inputs that could not be processed (counted whether or not dead-lettered).",
            counters.badInput(), labels);
        final String deadLetterTopic = pipeline.engine().spec().sink().deadLetterTopic();
        f.counter(DEAD_LETTERED, "Bad inputs handed to the dead-letter topic.", counters.deadLettered(),
            labels.add("topic", null == deadLetterTopic ? "" : deadLetterTopic));
        f.counter(LATE, "Elements later than their time windows' allowed lateness.", counters.late(), labels);
        f.gauge(READY, "1 when the pipeline is ready (see /health/ready), else 0.",
            null == pipeline.notReadyReason() ? 1 : 0, labels);
        collectEngine(pipeline, labels, f);
        if (null != pipeline.source())
        {
            collectSource(pipeline.source(), labels, f);
        }
        if (null != pipeline.sink())
        {
            collectSink(pipeline, labels, f);
        }
        final long journalBytes = pipeline.journalBytes();
        if (journalBytes >= 0)
        {
            f.gauge(JOURNAL_SIZE, "Bytes of the journal's files (snapshots not included).", journalBytes, labels);
        }
    }

    private static void collectEngine(final PipelineMetrics pipeline, final Labels labels, final MetricFamilies f)
    {
        for (final LatencyStage stage : LatencyStage.values())
        {
            f.histogram(LATENCY, "Latency of live inputs by stage: end_to_end from the poll that fetched an " +
                "input to its outputs' hand-off to the producer, = ring + process + sink.",
                pipeline.latency(stage).toPrometheus(labels.add("stage", stage.label())));
        }
        final EngineMetrics engine = pipeline.engineMetrics();
        f.gauge(RING_USED, "Ring slots published and not yet processed.", engine.ringUsed(), labels);
        f.gauge(RING_CAPACITY, "Ring slots.", engine.ringCapacity(), labels);
        f.counter(JOURNAL_APPENDS, "Records appended to the journal (inputs, ticks, commit markers).",
            engine.journalAppends(), labels);
        collectLearn(engine, labels, f);
        collectScore(engine, labels, f);
        final long nowMs = System.currentTimeMillis();
        for (final WorkerMetrics worker : engine.workers())
        {
            final Labels workerLabels = labels.add("worker", Integer.toString(worker.worker()));
            f.counter(WORKER_BUSY, "Time the worker spent processing batches; rate() is its busy ratio.",
                worker.busyNs() / 1e9, workerLabels);
            f.counter(SNAPSHOTS, "Snapshots the worker wrote.", worker.snapshots(), workerLabels);
            if (worker.lastSnapshotEpochMs() > 0)
            {
                f.gauge(SNAPSHOT_AGE, "Seconds since the worker's last snapshot.",
                    (nowMs - worker.lastSnapshotEpochMs()) / 1e3, workerLabels);
                f.gauge(SNAPSHOT_DURATION, "How long the worker's last snapshot took to write.",
                    worker.lastSnapshotNs() / 1e9, workerLabels);
                f.gauge(SNAPSHOT_SIZE, "Size of the worker's last snapshot.", worker.lastSnapshotBytes(),
                    workerLabels);
            }
        }
    }

    /** The learn tasks' figures as their workers last published them; log-loss and AUC only once defined. */
    private static void collectLearn(final EngineMetrics engine, final Labels labels, final MetricFamilies f)
    {
        for (final EngineMetrics.LearnSummary learn : engine.learnTasks())
        {
            final Labels task = labels.add("task", learn.label());
            f.counter(LEARN_UPDATES, "Labelled events the learn task learnt from (model updates).", learn.updates(),
                task);
            if (!Double.isNaN(learn.logLoss()))
            {
                f.gauge(LEARN_LOG_LOSS, "Mean log-loss of the learn task's scores of its last metrics-window " +
                    "labelled events, each scored before it was learnt.", learn.logLoss(), task);
            }
            if (!Double.isNaN(learn.auc()))
            {
                f.gauge(LEARN_AUC, "AUC of the learn task's scores of its last metrics-window labelled events, each " +
                    "scored before it was learnt.", learn.auc(), task);
            }
            f.gauge(LEARN_MODEL, "Always 1: the version label is the learn task's current model version, as " +
                "scored events carry it in model_version.", 1, task.add("version", learn.version()));
        }
    }

    /** The score tasks' model versions, events scored and shadow agreement. */
    private static void collectScore(final EngineMetrics engine, final Labels labels, final MetricFamilies f)
    {
        for (final EngineMetrics.ScoreSummary score : engine.scoreTasks())
        {
            final Labels task = labels.add("task", score.name());
            f.gauge(SCORE_MODEL, MODEL_HELP, 1,
                task.add("version", score.version()).add("role", "live"));
            f.counter(SCORED, "Events the score task scored.", score.scored(), task);
            if (null != score.shadowVersion())
            {
                f.gauge(SCORE_MODEL, MODEL_HELP, 1,
                    task.add("version", score.shadowVersion()).add("role", "shadow"));
                f.counter(SHADOW_COMPARED, "Events both the live and the shadow model scored.", score.compared(),
                    task);
                f.counter(SHADOW_AGREED, "Of those, the events both models put on the same side of 0.5.",
                    score.agreed(), task);
            }
        }
    }

    private static void collectSource(final KafkaSourceMetrics source, final Labels labels, final MetricFamilies f)
    {
        final Map<TopicPartition, KafkaSourceMetrics.PartitionMetrics> partitions = source.partitions();
        f.gauge(ASSIGNED_PARTITIONS, "Input partitions assigned to this daemon.", partitions.size(), labels);
        for (final Map.Entry<TopicPartition, KafkaSourceMetrics.PartitionMetrics> entry : partitions.entrySet())
        {
            final Labels partitionLabels = labels.add("topic", entry.getKey().topic())
                .add("partition", Integer.toString(entry.getKey().partition()));
            f.counter(RECORDS_CONSUMED, "Records of the partition taken into the ring since start.",
                entry.getValue().consumed(), partitionLabels);
            if (entry.getValue().lag() >= 0)
            {
                f.gauge(CONSUMER_LAG, "Records between the consumer's position and the end of the partition.",
                    entry.getValue().lag(), partitionLabels);
            }
        }
        f.counter(REBALANCES, "Partition assignments received from the group.", source.rebalances(), labels);
        f.counter(PARTITIONS_LOST, "Partitions taken away without a revoke (missed session).",
            source.partitionsLost(), labels);
        f.counter(BACKPRESSURE, "Time the source held its partitions paused because the ring was full.",
            source.backpressureNs() / 1e9, labels);
        // Zero unless state.scope is partition.
        f.counter(STATE_TAKE_OVERS, "Input partitions taken over with the state their previous owner committed.",
            source.stateTakeOvers(), labels);
        f.counter(STATE_BYTES_TAKEN_OVER, "Bytes of partition state read from the state topic.",
            source.stateBytesTakenOver(), labels);
        f.counter(STATE_TAKE_OVER_SECONDS, "Time spent reading partition state from the state topic.",
            source.stateTakeOverNs() / 1e9, labels);
        f.counter(STATE_JOURNAL_TAKE_OVERS, "Input partitions taken over with the journal's copy of the state this " +
            "daemon published itself (a restart of the same daemon), without reading the state topic.",
            source.stateTakeOversFromJournal(), labels);
        f.counter(STATE_COPY_WRITE_SECONDS, "Time thread ringflow-state-copy spent writing the journal's copies of " +
            "the partition state this daemon published.", source.stateCopyWriteNs() / 1e9, labels);
        if (source.hasStandby())
        {
            f.counter(STATE_STANDBY_TAKE_OVERS, "Input partitions taken over with the standby's warm copy of " +
                "their state, without reading the state topic.", source.stateTakeOversFromStandby(), labels);
            f.gauge(STATE_STANDBY_BYTES, "Bytes of state the standby holds for partitions this daemon does not " +
                "own.", source.standbyBytes(), labels);
            f.gauge(STATE_STANDBY_PARTITIONS, "Input partitions whose latest published state the standby holds whole.",
                source.standbyPartitions(), labels);
        }
    }

    private static void collectSink(final PipelineMetrics pipeline, final Labels labels, final MetricFamilies f)
    {
        final KafkaSinkMetrics sink = pipeline.sink();
        for (final Map.Entry<String, AtomicLong> entry : sink.produced().entrySet())
        {
            f.counter(RECORDS_PRODUCED, "Records the brokers acknowledged, by topic (outputs, routed, dead " +
                "letters, late).", entry.getValue().get(), labels.add("topic", entry.getKey()));
        }
        f.counter(SEND_FAILURES, "Sends the producer reported failed.", sink.sendFailures(), labels);
        if (pipeline.engine().spec().sink().isExactlyOnce())
        {
            f.histogram(COMMIT_DURATION, "Duration of Kafka transaction commits (offsets and outputs).",
                pipeline.commits().toPrometheus(labels));
            f.counter(COMMITS, "Kafka transactions committed.", sink.commits(), labels);
            f.counter(ABORTS, "Kafka transactions aborted with outputs in them, or whose commit failed.",
                sink.aborts(), labels);
            if (sink.lastCommitEpochMs() > 0)
            {
                f.gauge(LAST_COMMIT, "Wall-clock time of the last commit, Unix seconds.",
                    sink.lastCommitEpochMs() / 1e3, labels);
            }
        }
    }
}
