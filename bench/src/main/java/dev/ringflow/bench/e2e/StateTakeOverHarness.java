package dev.ringflow.bench.e2e;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.StateSpec;
import dev.ringflow.io.kafka.KafkaPipeline;
import dev.ringflow.io.kafka.KafkaSinkMetrics;
import dev.ringflow.io.kafka.KafkaSourceMetrics;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * How fast a daemon takes an input partition over with the state its previous owner committed
 * ({@code state.scope: partition}): daemon A (an engine in this JVM, on an embedded broker) consumes
 * {@code keys x perKey} records of one partition into a sliding window of range {@code range} per key and stops
 * cleanly, committing the partition's state to the state topic; daemon B then starts and takes the partition over.
 * Prints the state's size, the take-over's time (reading the state topic, read committed), and the rate in MB/s and
 * in state records (chunks of 512 KiB) per second. Then A restarts with its own journal, {@code repeats} times, and
 * takes the partition over from its journal's copy of the state it published, without reading the topic: the
 * fast path of a restart of the same daemon. Before that it prints what publishing the state costs A while it
 * consumes: its rate, and its transactions' commit times (a commit that carries the state waits for every state
 * record to be acknowledged), with the state published every {@code publishIntervalMs}; compare with a publish
 * interval longer than the run (the state is then published once, when A stops). Usage:
 * {@code java <Chronicle flags> -cp bench/target/benchmarks.jar dev.ringflow.bench.e2e.StateTakeOverHarness
 * [keys [perKey [range [repeats [publishIntervalMs]]]]]} (defaults 1,000,000 keys, 5 records each, range 5,
 * 3 repeats, 10,000 ms).
 */
public final class StateTakeOverHarness
{
    private static final String INPUT = "in";
    private static final int CHUNK_BYTES = 512 * 1024;

    private StateTakeOverHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int perKey = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final int range = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        final int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        final long publishIntervalMs = args.length > 4 ? Long.parseLong(args[4]) :
            StateSpec.DEFAULT_PUBLISH_INTERVAL_MS;
        final Path dir = Files.createTempDirectory("ringflow-takeover-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            final String servers = broker.bootstrapServers();
            broker.createTopic(INPUT, 1);
            final long records = (long)keys * perKey;
            final long preloadNs = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(servers, 20, "takeover-preload"))
            {
                for (int round = 0; round < perKey; round++)
                {
                    for (int key = 0; key < keys; key++)
                    {
                        producer.send(new ProducerRecord<>(INPUT, 0, null, ("key-" + key).getBytes(
                            StandardCharsets.UTF_8), Integer.toString(round * 7 + key % 100).getBytes(
                            StandardCharsets.UTF_8)));
                    }
                }
                producer.flush();
            }
            System.out.printf(Locale.ROOT, "preloaded %,d records over %,d keys in %.1f s%n", records, keys,
                (System.nanoTime() - preloadNs) / 1e9);
            final AtomicReference<KafkaSinkMetrics> sinkOfA = new AtomicReference<>();
            final AtomicReference<KafkaSourceMetrics> sourceOfA = new AtomicReference<>();
            final long consumeStartNs = System.nanoTime();
            final Engine first = KafkaPipeline.start(spec(servers, dir.resolve("a"), range, publishIntervalMs), 60_000,
                (engine, metrics, sink, journal) ->
                {
                    sinkOfA.set(sink);
                    sourceOfA.set(metrics);
                });
            try (GroupOffsets offsets = new GroupOffsets(servers))
            {
                awaitUntil("A commits every record", TimeUnit.MINUTES.toNanos(10),
                    () -> offsets.hasCommitted("takeover", Map.of(new TopicPartition(INPUT, 0), records)));
            }
            final double consumeSeconds = (System.nanoTime() - consumeStartNs) / 1e9;
            final Histogram commits = sinkOfA.get().takeCommitDurations(null);
            System.out.printf(Locale.ROOT, "A, publishing every %,d ms: %,d records in %.1f s (%,.0f records/s, " +
                "from its start); %,d commits: median %.1f ms, 99%% %.1f ms, max %.1f ms, %d over 500 ms%n",
                publishIntervalMs, records, consumeSeconds, records / consumeSeconds, commits.getTotalCount(),
                commits.getValueAtPercentile(50) / 1e6, commits.getValueAtPercentile(99) / 1e6,
                commits.getMaxValue() / 1e6, commits.getCountBetweenValues(TimeUnit.MILLISECONDS.toNanos(500),
                commits.getMaxValue()));
            final long closeStartNs = System.nanoTime();
            first.close();
            System.out.printf(Locale.ROOT, "A consumed everything and stopped in %,d ms, committing the partition's " +
                "state (published at the stop unless unchanged since the last publish)%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStartNs));
            System.out.printf(Locale.ROOT, "A wrote %,d bytes to its journal's copies of the state in %,d ms (part of " +
                "its publishes)%n", sourceOfA.get().stateCopyBytesWritten(),
                TimeUnit.NANOSECONDS.toMillis(sourceOfA.get().stateCopyWriteNs()));
            for (int run = 1; run <= repeats; run++)
            {
                final AtomicReference<KafkaSourceMetrics> source = new AtomicReference<>();
                final long startNs = System.nanoTime();
                final Engine second = KafkaPipeline.start(spec(servers, dir.resolve("b" + run), range,
                    publishIntervalMs), 60_000,
                    (engine, metrics, sink, journal) -> source.set(metrics));
                awaitUntil("B takes the partition over", TimeUnit.MINUTES.toNanos(5),
                    () -> null != source.get() && source.get().stateTakeOvers() > 0);
                final long sinceStartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                final long bytes = source.get().stateBytesTakenOver();
                final double seconds = source.get().stateTakeOverNs() / 1e9;
                final long chunks = Math.max(1, (bytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
                System.out.printf(Locale.ROOT, "run %d: %,d bytes of state (%,d chunks) taken over in %.3f s: " +
                    "%.1f MB/s, %.0f state records/s; %,d ms from B's start to the take-over%n", run, bytes, chunks,
                    seconds, bytes / 1e6 / seconds, chunks / seconds, sinceStartMs);
                // B stops cleanly too: the state it commits is the one the next run takes over.
                second.close();
            }
            // A restarted with its own journal: the commit still points to the state A published at its stop (each B
            // took it over and stopped without input, publishing nothing), so A takes it from its journal's copy.
            for (int run = 1; run <= repeats; run++)
            {
                final AtomicReference<KafkaSourceMetrics> source = new AtomicReference<>();
                final long startNs = System.nanoTime();
                final Engine restarted = KafkaPipeline.start(spec(servers, dir.resolve("a"), range,
                    publishIntervalMs), 60_000, (engine, metrics, sink, journal) -> source.set(metrics));
                awaitUntil("A takes the partition over again", TimeUnit.MINUTES.toNanos(5),
                    () -> null != source.get() && source.get().stateTakeOvers() > 0);
                final long sinceStartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                final long bytes = source.get().stateBytesFromJournal();
                final double seconds = source.get().stateTakeOverNsFromJournal() / 1e9;
                System.out.printf(Locale.ROOT, "restart %d of A: %,d bytes of state taken over from its journal's " +
                    "copy in %.3f s (%.1f MB/s), %,d bytes from the topic; %,d ms from A's start to the take-over%n",
                    run, bytes, seconds, bytes / 1e6 / seconds, source.get().stateBytesTakenOver(), sinceStartMs);
                restarted.close();
            }
        }
    }

    private static PipelineSpec spec(final String servers, final Path journal, final int range,
        final long publishIntervalMs)
    {
        return PipelineBuilder.named("takeover").source(INPUT).groupId("takeover")
            .window(range, 1, Aggregation.SUM, ValueKind.LONG).sink("out")
            .journal(journal.toString(), JournalSpec.RollCycle.HOURLY)
            .state(new StateSpec(StateSpec.Scope.PARTITION, null, publishIntervalMs))
            .kafkaProperty("bootstrap.servers", servers).build();
    }

    private static void awaitUntil(final String what, final long timeoutNs, final BooleanSupplier condition)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
