package dev.ringflow.bench.e2e;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How long the partitions of a daemon killed with SIGKILL take to produce output again on the surviving daemon,
 * with partition-scoped state of {@code keys} keys (a sliding sum of range 5 per key, about 98 bytes a key), with or
 * without a standby replica on the survivor.
 * <p>
 * An embedded broker (in this JVM) holds {@code keys x 5} records in one input partition. Per run: daemon A
 * ({@code java -jar ringflow.jar run}, a child JVM) consumes them all and publishes the partition's state; daemon B
 * joins the group (with {@code state.standby-replicas} as given); once one of them owns the partition and the
 * other is idle (and, with a standby, holds the owner's state), the owner is killed with SIGKILL and one probe
 * record is sent. Printed: the time from the kill until the survivor is assigned the partition (the session
 * timeout part), until the probe's output is written (read uncommitted: the survivor produces again), and until it
 * is visible read committed (which also waits for the killed daemon's open transaction to be aborted). Usage:
 * {@code java <Chronicle flags> -cp bench/target/benchmarks.jar dev.ringflow.bench.e2e.StateFailOverHarness
 * [keys [runs [standbyReplicas [sessionTimeoutMs [jar]]]]]} (defaults 1,000,000 keys, 3 runs, 0, 6,000 ms,
 * {@code tools/target/ringflow.jar}).
 */
public final class StateFailOverHarness
{
    private static final String INPUT = "in";
    private static final int PER_KEY = 5;
    private static final long WAIT_NS = TimeUnit.MINUTES.toNanos(10);

    private StateFailOverHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final int standby = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        final int sessionMs = args.length > 3 ? Integer.parseInt(args[3]) : 6_000;
        final Path jar = Path.of(args.length > 4 ? args[4] : "tools/target/ringflow.jar");
        final Path dir = Files.createTempDirectory("ringflow-failover-");
        final long records = (long)keys * PER_KEY;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            final String servers = broker.bootstrapServers();
            broker.createTopic(INPUT, 1);
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(servers, 20, "failover-preload"))
            {
                for (int round = 0; round < PER_KEY; round++)
                {
                    for (int key = 0; key < keys; key++)
                    {
                        producer.send(new ProducerRecord<>(INPUT, 0, null, utf8("key-" + key),
                            utf8(Integer.toString(round * 7 + key % 100))));
                    }
                }
                producer.flush();
            }
            System.out.printf(Locale.ROOT, "preloaded %,d records over %,d keys; standby-replicas %d, session " +
                "timeout %d ms%n", records, keys, standby, sessionMs);
            for (int run = 1; run <= runs; run++)
            {
                final long inputs;
                try (GroupOffsets offsets = new GroupOffsets(servers))
                {
                    // The preload and the probe records of the runs before.
                    inputs = GroupOffsets.sum(offsets.endOffsets(INPUT));
                }
                run(servers, jar, dir.resolve("run-" + run), "failover-" + run, inputs, standby, sessionMs, run);
            }
        }
    }

    private static void run(final String servers, final Path jar, final Path dir, final String name,
        final long inputs, final int standby, final int sessionMs, final int run) throws Exception
    {
        Files.createDirectories(dir);
        final Path pipeline = dir.resolve(name + ".yaml");
        Files.writeString(pipeline, """
            name: %s
            source:
              topics: [%s]
              group-id: %s
              start-from: earliest
              consumer:
                session.timeout.ms: %d
                heartbeat.interval.ms: 1000
            tasks:
              - type: window
                range: 5
                slide: 1
                aggregation: sum
            sink:
              topic: %s-out
            state:
              scope: partition
              standby-replicas: %d
            """.formatted(name, INPUT, name, sessionMs, name, standby));
        final Daemon a = Daemon.launch(jar, servers, pipeline, dir, "a");
        final Daemon b;
        try (Admin admin = admin(servers))
        {
            final long consumeStartNs = System.nanoTime();
            awaitUntil("A commits the state of every record", () -> coveredOffset(admin, name) == inputs);
            System.out.printf(Locale.ROOT, "run %d: A consumed %,d records and committed their state in %.1f s%n",
                run, inputs, (System.nanoTime() - consumeStartNs) / 1e9);
            b = Daemon.launch(jar, servers, pipeline, dir, "b");
        }
        try (a; b; KafkaConsumer<byte[], byte[]> written = outputs(servers, name, false);
            KafkaConsumer<byte[], byte[]> committed = outputs(servers, name, true);
            KafkaProducer<byte[], byte[]> producer = Clients.producer(servers, 0, "failover-probe"))
        {
            // Either may own the partition after B joins: the owner is killed, the other survives.
            awaitUntil("one daemon owns the partition and the other is idle" + (standby > 0 ? " with its copy" :
                ""), () -> a.metric("ringflow_assigned_partitions") + b.metric("ringflow_assigned_partitions") == 1 &&
                (0 == standby || a.metric("ringflow_state_standby_partitions") +
                b.metric("ringflow_state_standby_partitions") == 1));
            final boolean aOwns = a.metric("ringflow_assigned_partitions") == 1;
            final Daemon owner = aOwns ? a : b;
            final Daemon survivor = aOwns ? b : a;
            final double standbyBytes = survivor.metric("ringflow_state_standby_bytes");
            final double topicSecondsBefore = survivor.metric("ringflow_state_take_over_seconds_total");
            final double fromStandbyBefore = survivor.metric("ringflow_state_standby_take_overs_total");
            final String probe = "probe-" + run;
            final long killNs = System.nanoTime();
            owner.process.kill();
            producer.send(new ProducerRecord<>(INPUT, 0, null, utf8(probe), utf8("1"))).get();
            long assignedNs = 0;
            long writtenNs = 0;
            long committedNs = 0;
            final long deadline = killNs + WAIT_NS;
            while (0 == committedNs || 0 == writtenNs)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("no output of the probe within 10 minutes of the kill");
                }
                if (0 == assignedNs && survivor.metric("ringflow_assigned_partitions") == 1)
                {
                    assignedNs = System.nanoTime();
                }
                writtenNs = 0 != writtenNs ? writtenNs : seen(written, probe);
                committedNs = 0 != committedNs ? committedNs : seen(committed, probe);
            }
            System.out.printf(Locale.ROOT, "run %d: killed %s; survivor assigned after %.2f s, probe output written " +
                "after %.2f s (%.2f s after the assignment), read committed after %.2f s; state taken over in " +
                "%.3f s from the topic, %.0f from the standby (which held %,.0f bytes)%n", run, aOwns ? "A" : "B",
                (assignedNs - killNs) / 1e9, (writtenNs - killNs) / 1e9, (writtenNs - assignedNs) / 1e9,
                (committedNs - killNs) / 1e9, survivor.metric("ringflow_state_take_over_seconds_total") - topicSecondsBefore,
                survivor.metric("ringflow_state_standby_take_overs_total") - fromStandbyBefore, standbyBytes);
        }
    }

    /** When the output of {@code key} is read, or 0 after one short poll without it. */
    private static long seen(final KafkaConsumer<byte[], byte[]> consumer, final String key)
    {
        for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(10)))
        {
            if (null != record.key() && key.equals(new String(record.key(), StandardCharsets.UTF_8)))
            {
                return System.nanoTime();
            }
        }
        return 0;
    }

    private static KafkaConsumer<byte[], byte[]> outputs(final String servers, final String name,
        final boolean readCommitted)
    {
        final KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(servers, null, readCommitted,
            name + (readCommitted ? "-committed" : "-written"));
        final TopicPartition out = new TopicPartition(name + "-out", 0);
        consumer.assign(List.of(out));
        consumer.seekToEnd(List.of(out));
        consumer.position(out);
        return consumer;
    }

    /** The input offset the committed state of the group {@code group} covers, or -1. */
    private static long coveredOffset(final Admin admin, final String group)
    {
        try
        {
            final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            final OffsetAndMetadata offset = offsets.get(new TopicPartition(INPUT, 0));
            final String metadata = null == offset || null == offset.metadata() ? "" : offset.metadata();
            final int at = metadata.indexOf("ringflow-state=");
            final int end = metadata.indexOf('@', at);
            return at < 0 || end < 0 ? -1 : Long.parseLong(metadata.substring(at + "ringflow-state=".length(), end));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Admin admin(final String servers)
    {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitUntil(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** A daemon child JVM and its metrics endpoint. */
    private record Daemon(DaemonProcess process, DaemonProbe probe) implements AutoCloseable
    {
        static Daemon launch(final Path jar, final String servers, final Path pipeline, final Path dir,
            final String name) throws IOException
        {
            final int port;
            try (ServerSocket socket = new ServerSocket(0))
            {
                port = socket.getLocalPort();
            }
            final DaemonProcess process = DaemonProcess.launch(jar, List.of("-Xmx1g"), new ArrayList<>(Arrays.asList(
                "--pipeline", pipeline.toString(), "--bootstrap-servers", servers,
                "--journal-dir", dir.resolve("journal-" + name).toString(), "--metrics-bind", "127.0.0.1:" + port,
                "--admin-bind", "off", "--status-interval", "60")), dir.resolve(name + ".log"));
            return new Daemon(process, new DaemonProbe(process.pid(), "http://127.0.0.1:" + port));
        }

        /** The sum of the samples of metric {@code name}; 0 when absent or the endpoint does not answer. */
        double metric(final String name)
        {
            try
            {
                final double sum = probe.sumOf(name);
                return Double.isNaN(sum) ? 0 : sum;
            }
            catch (final IOException ex)
            {
                return 0;
            }
        }

        @Override
        public void close()
        {
            probe.close();
            process.close();
        }
    }
}
