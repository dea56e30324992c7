package dev.ringflow.bench.e2e;

import dev.ringflow.bench.journal.ChronicleFlags;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The soak: the real daemon ({@code java -jar tools/target/ringflow.jar run}, a child JVM) runs the seed sliding-sum
 * pipeline with its defaults (journal on, exactly-once) under a fixed offered rate for a long time, while every
 * interval (10 s) the harness samples the daemon's live heap (after a forced full collection), its RSS, the
 * end-to-end latency of the outputs read in the interval, the consumer lag and the load's achieved rate.
 * <ol>
 *   <li>Starts an embedded broker (or uses {@code --bootstrap-servers}) and creates the input and output topics, 3
 *       partitions each.</li>
 *   <li>Unless {@code --rate} or {@code --max-rate} is given, preloads a backlog and measures the maximum rate as the
 *       daemon drains it (its {@code ringflow_events_in_total} between 10% and 90% of the backlog).</li>
 *   <li>Offers {@code --percent} (50) of the maximum for {@code --duration} from a producer on a fixed schedule,
 *       while a {@code read_committed} consumer checks every output against {@link SoakSequence} and times it from
 *       its input's intended send time.</li>
 *   <li>Waits for every output, stops the daemon with SIGTERM, and judges the samples after the warm-up
 *       ({@link SoakVerdict}): heap and RSS flat, latency steady, no lag growth, the load held, every output right
 *       and none missing or extra.</li>
 *   <li>Writes {@code NAME.csv}, {@code NAME.svg} and {@code NAME.md} to {@code --out}; the daemon's log goes to
 *       {@code bench/results/soak-<date>/daemon.log}.</li>
 * </ol>
 * Run from the repository root after {@code mvn -q -DskipTests package}:
 * <pre>
 * java --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
 *     --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
 *     --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
 *     -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true \
 *     -cp bench/target/benchmarks.jar dev.ringflow.bench.e2e.SoakHarness [--duration 30m] [--help]
 * </pre>
 * Exits 0 when the verdict passed, 1 when it failed or a step did not finish in time, 2 on bad usage.
 */
public final class SoakHarness
{
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);

    private final SoakOptions options;
    private final MachineActivity activity = MachineActivity.begin();
    private final List<SoakSample> samples = new ArrayList<>();
    private final SoakReport report;
    private DaemonProcess daemon;
    private Path daemonLog;

    private SoakHarness(final SoakOptions options, final String[] args)
    {
        this.options = options;
        report = new SoakReport(options, command(SoakHarness.class, args));
    }

    public static void main(final String[] args)
    {
        HarnessOptions.runMain("SoakHarness", SoakOptions.USAGE, args, SoakOptions::parse,
            options -> new SoakHarness(options, args)::run);
    }

    private boolean run() throws IOException, InterruptedException, ExecutionException
    {
        HarnessOptions.requireJar(options.jar(), "mvn -q -DskipTests package");
        report.started(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        final Path workDir = Files.createTempDirectory("ringflow-soak-");
        daemonLog = Files.createDirectories(Path.of("bench", "results", "soak-" + LocalDate.now()))
            .resolve("daemon.log");
        Files.deleteIfExists(daemonLog);
        try (EmbeddedKafkaBroker broker = null == options.bootstrapServers() ? EmbeddedKafkaBroker.start(
            new EmbeddedKafkaBroker.Context().autoCreateTopics(false)) : null)
        {
            final String servers = null != broker ? broker.bootstrapServers() : options.bootstrapServers();
            // Fresh names on a shared Kafka, so an earlier run's records are not read as this one's.
            final String suffix = null != broker ? "" : "-" + System.currentTimeMillis();
            final String input = "soak-in" + suffix;
            final String output = "soak-out" + suffix;
            createTopics(servers, List.of(input, output, "soak-dead-letters" + suffix));
            final Path pipelineFile = workDir.resolve("soak.yaml");
            Files.writeString(pipelineFile, pipelineText(input, output, suffix), StandardCharsets.UTF_8);
            return soak(servers, input, output, pipelineFile, workDir.resolve("journal"));
        }
        finally
        {
            if (null != daemon)
            {
                daemon.close();
            }
            ChronicleFlags.delete(workDir);
        }
    }

    private boolean soak(final String servers, final String input, final String output, final Path pipelineFile,
        final Path journalDir) throws IOException, InterruptedException, ExecutionException
    {
        final SoakSequence sequence = new SoakSequence(options.keys());
        final boolean calibrate = 0 == options.rate() && 0 == options.maxRate();
        final long backlog = calibrate ? options.calibrationRecords() : 0;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(servers, Clients.SINK_LINGER_MS, "soak-load"))
        {
            if (calibrate)
            {
                log("preloading a backlog of %,d records to measure the maximum rate", backlog);
                preload(producer, input, sequence, backlog);
            }
            final int metricsPort = freePort();
            daemon = DaemonProcess.launch(options.jar(), options.daemonJvmOptions(), List.of("--pipeline",
                pipelineFile.toString(), "--bootstrap-servers", servers, "--journal-dir", journalDir.toString(),
                "--metrics-bind", "127.0.0.1:" + metricsPort), daemonLog);
            log("daemon pid %d, metrics on http://127.0.0.1:%d, log %s", daemon.pid(), metricsPort, daemonLog);
            try (DaemonProbe probe = new DaemonProbe(daemon.pid(), "http://127.0.0.1:" + metricsPort))
            {
                awaitCondition("the daemon to be ready", READY_TIMEOUT, probe::ready);
                final long maxRate = calibrate ? measureMaxRate(probe, backlog) : options.maxRate();
                final long rate = 0 != options.rate() ? options.rate() :
                    Math.max(1, maxRate * options.percent() / 100);
                report.rates(rate, maxRate, calibrate);

                final long anchorNs = System.nanoTime();
                final long anchorEpochMicros = System.currentTimeMillis() * 1_000;
                final SoakOutputs outputs = new SoakOutputs(servers, output, sequence, backlog, anchorNs,
                    anchorEpochMicros);
                final Thread outputThread = new Thread(outputs, "soak-outputs");
                outputThread.start();
                awaitCondition("the backlog's outputs", DRAIN_TIMEOUT, () -> outputs.received() >= backlog);

                final long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
                final long endNs = startNs + options.duration().toNanos();
                final SoakLoad load = new SoakLoad(producer, input, sequence, backlog, rate, startNs,
                    anchorEpochMicros + (startNs - anchorNs) / 1_000, endNs);
                final Thread loadThread = new Thread(load, "soak-load");
                log("offering %,d records/s for %s, sampling every %d s", rate, SoakOptions.format(options
                    .duration()), options.interval().toSeconds());
                loadThread.start();
                try
                {
                    sampleUntil(startNs, endNs, rate, load, outputs, probe, backlog);
                }
                finally
                {
                    load.stop();
                    LatencyRun.joinQuietly(loadThread);
                }
                final long expected = backlog + load.sent();
                log("load done: %,d records sent; waiting for their outputs", load.sent());
                awaitCondition("every output", DRAIN_TIMEOUT, () -> outputs.received() >= expected);
                report.histogramAtEnd(probe.classHistogram());
                probe.close();
                final int exitCode = daemon.stop();
                report.journal(JournalDiskUsage.describe(journalDir));
                try (GroupOffsets offsets = new GroupOffsets(servers))
                {
                    outputs.stopAt(offsets.endOffsets(output));
                }
                outputThread.join(DRAIN_TIMEOUT.toMillis());
                outputs.stop();
                LatencyRun.joinQuietly(outputThread);
                return judge(outputs, expected, exitCode, load);
            }
        }
    }

    /** Samples every interval until the load has run its duration; the daemon must stay up. */
    private void sampleUntil(final long startNs, final long endNs, final long rate, final SoakLoad load,
        final SoakOutputs outputs, final DaemonProbe probe, final long backlog) throws IOException
    {
        final long intervalNs = options.interval().toNanos();
        final double warmUpS = options.warmUp().toNanos() / 1e9;
        long lastSent = 0;
        long lastNs = startNs;
        outputs.takeInterval();
        for (long dueNs = startNs + intervalNs; dueNs - endNs <= 0; dueNs += intervalNs)
        {
            waitUntil(dueNs);
            if (null != load.failure())
            {
                throw new IllegalStateException("a send failed: " + load.failure(), load.failure());
            }
            final long nowNs = System.nanoTime();
            final long sent = load.sent();
            // Samples are named by their scheduled time, so the warm-up's last one is not judged.
            final double elapsedS = (dueNs - startNs) / 1e9;
            final Histogram latencies = outputs.takeInterval();
            final double rssMb = probe.statusMb("VmRSS");
            final double rssAnonMb = probe.statusMb("RssAnon");
            final DaemonProbe.JournalMaps journal = probe.journalMaps();
            final long lag = probe.consumerLag();
            final long inFlight = backlog + load.acknowledged() - outputs.received();
            final double achievedRate = (sent - lastSent) / ((nowNs - lastNs) / 1e9);
            final double senderLagMs = load.takeMaxLagNs() / 1e6;
            // The forced collection comes last: its pause falls into the next interval's latency.
            final DaemonProbe.Heap heap = probe.heap();
            final SoakSample complete = new SoakSample(elapsedS, heap.liveMb(), heap.usedBeforeMb(), rssMb, rssAnonMb,
                latencies, lag, inFlight, rate, achievedRate, senderLagMs, heap.gcMs(), journal.residentMb(),
                journal.mappings());
            samples.add(complete);
            lastSent = sent;
            lastNs = nowNs;
            log("%4.0f s: live heap %.1f MB (before GC %.1f, GC %.0f ms), RSS %.1f MB (anon %.1f, journal %.1f in %d " +
                "maps), p99 %.1f ms, p99.9 %.1f ms, lag %,d, in flight %,d, sent %,.0f/s", elapsedS, heap.liveMb(),
                heap.usedBeforeMb(), heap.gcMs(), rssMb, rssAnonMb, journal.residentMb(), journal.mappings(),
                complete.latencyMs(99), complete.latencyMs(99.9), lag, inFlight, complete.achievedRate());
            if (elapsedS > warmUpS && !report.hasHistogramAfterWarmUp())
            {
                report.histogramAfterWarmUp(probe.classHistogram());
            }
        }
    }

    private boolean judge(final SoakOutputs outputs, final long expected, final int exitCode, final SoakLoad load)
        throws IOException
    {
        final SoakVerdict verdict = SoakVerdict.judge(samples, options.warmUp().toNanos() / 1e9,
            SoakVerdict.Limits.defaults());
        final boolean outputsRight = outputs.received() == expected && outputs.wrong() == 0;
        verdict.add(new SoakVerdict.Check("every output verified", outputsRight, String.format(Locale.ROOT,
            "%,d outputs read as committed for %,d inputs, %,d not the expected sliding sum%s", outputs.received(),
            expected, outputs.wrong(), null == outputs.firstWrong() ? "" : " (first: " + outputs.firstWrong() + ")")));
        verdict.add(new SoakVerdict.Check("clean stop", 0 == exitCode && null == load.failure(),
            "the daemon exited " + exitCode + " after SIGTERM; " + (null == load.failure() ? "no send failed" :
            "a send failed: " + load.failure())));
        report.machine(activity, daemon.pid());
        report.write(samples, verdict);
        return verdict.passed();
    }

    /** Measures how fast the daemon drains the preloaded backlog: events in between 10% and 90% of it. */
    private long measureMaxRate(final DaemonProbe probe, final long backlog) throws IOException
    {
        final long deadlineNs = System.nanoTime() + READY_TIMEOUT.toNanos() + backlog / 10_000 * 1_000_000_000L;
        double fromEvents = Double.NaN;
        long fromNs = 0;
        while (true)
        {
            checkAlive("the backlog to drain", deadlineNs);
            final double events = probe.eventsIn();
            final long nowNs = System.nanoTime();
            if (Double.isNaN(fromEvents) && events >= 0.1 * backlog)
            {
                fromEvents = events;
                fromNs = nowNs;
            }
            else if (!Double.isNaN(fromEvents) && events >= 0.9 * backlog)
            {
                final long maxRate = Math.round((events - fromEvents) / ((nowNs - fromNs) / 1e9));
                log("maximum: the daemon drained the backlog at %,d records/s", maxRate);
                return maxRate;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static void preload(final KafkaProducer<byte[], byte[]> producer, final String topic,
        final SoakSequence sequence, final long records)
    {
        final InputSequence bytes = new InputSequence(0, sequence.keys());
        final long timestampMs = System.currentTimeMillis();
        for (long i = 0; i < records; i++)
        {
            producer.send(new ProducerRecord<>(topic, null, timestampMs, bytes.keyBytes(sequence.keyOf(i)),
                bytes.valueBytes(SoakSequence.valueOf(i))));
        }
        producer.flush();
    }

    /** The seed pipeline with the soak's topics and group: its tasks, journal and delivery stay the defaults. */
    private static String pipelineText(final String input, final String output, final String suffix)
        throws IOException
    {
        return ScenarioLauncher.retargetSeedPipeline(RecoveryTimeHarness.seedPipelineText(), input, output,
            "ringflow-soak" + suffix, "soak-dead-letters" + suffix);
    }

    private static void createTopics(final String servers, final List<String> topics)
        throws InterruptedException, ExecutionException
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(props))
        {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, Optional.of(EndToEndHarness.PARTITIONS),
                Optional.empty())).toList()).all().get();
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    /** Parks until {@code dueNs}, checking the daemon meanwhile. */
    private void waitUntil(final long dueNs)
    {
        long nowNs;
        while ((nowNs = System.nanoTime()) - dueNs < 0)
        {
            checkAlive("the next sample", dueNs + CHECK_INTERVAL_NS * 10);
            LockSupport.parkNanos(Math.min(CHECK_INTERVAL_NS, dueNs - nowNs));
        }
    }

    private void awaitCondition(final String what, final Duration timeout, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            checkAlive(what, deadlineNs);
            LockSupport.parkNanos(CHECK_INTERVAL_NS);
        }
    }

    private void checkAlive(final String what, final long deadlineNs)
    {
        if (null != daemon && !daemon.isAlive())
        {
            throw new IllegalStateException("the daemon exited while waiting for " + what + "; see " + daemonLog);
        }
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new IllegalStateException("timed out waiting for " + what + "; see " + daemonLog);
        }
    }

    /** The command line that ran harness {@code main} with {@code args}, as the reports show it. */
    static String command(final Class<?> main, final String[] args)
    {
        final StringBuilder command = new StringBuilder(String.join(" ", "java", ChronicleFlags.EXPORT_NIO,
            ChronicleFlags.EXPORT_REF, ChronicleFlags.EXPORT_MISC, "\\\n   ", ChronicleFlags.OPEN_REFLECT,
            ChronicleFlags.OPEN_NIO, ChronicleFlags.NO_ANALYTICS, ChronicleFlags.NO_BANNER, "\\\n   ",
            "-cp bench/target/benchmarks.jar", main.getName()));
        for (final String arg : args)
        {
            command.append(' ').append(arg.matches("[\\w./:=,@+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return command.toString();
    }

    static void log(final String format, final Object... args)
    {
        System.out.println(LocalTime.now().format(LOG_TIME) + " [soak] " + String.format(Locale.ROOT, format, args));
    }
}
