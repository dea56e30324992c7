package dev.ringflow.tools;


import dev.ringflow.engine.Engine;
import dev.ringflow.engine.PipelinePaths;
import dev.ringflow.engine.EngineCounters;
import dev.ringflow.engine.pipeline.CpuList;
import dev.ringflow.engine.pipeline.EngineSpec;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.PipelineValidationException;
import dev.ringflow.io.admin.AdminServer;
import dev.ringflow.io.kafka.KafkaClientProperties;
import dev.ringflow.io.kafka.KafkaOutage;
import dev.ringflow.io.kafka.KafkaPipeline;
import dev.ringflow.io.kafka.KafkaUnavailableException;
import dev.ringflow.io.kafka.TransactionTimedOutException;
import dev.ringflow.io.metrics.MetricsBind;
import dev.ringflow.io.metrics.MetricsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringflow run}: the daemon.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a pipeline between Kafka topics until SIGTERM or SIGINT (Ctrl-C).",
        "On the signal it stops polling, processes everything already read, flushes the output, commits the " +
            "input offsets and exits 0. A second signal exits at once.",
        "Bad input (a value that does not parse) is counted, logged and, if the pipeline names a " +
            "dead-letter-topic, written there; it never stops the daemon.",
        "Every input is journaled (journal.dir, default journal/<pipeline name>) before its outputs leave. On " +
            "start the daemon replays its journal to rebuild window state, produces again the outputs a crash " +
            "kept from committing, and resumes Kafka after the last journaled offset: with the default " +
            "exactly-once delivery, a read_committed consumer sees every output once across crashes." },
    footer = {
        "",
        "Example:",
        "  ringflow run --pipeline examples/seed-sliding-sum.yaml \\",
        "      --bootstrap-servers localhost:9092 --journal-dir /var/lib/ringflow/sliding-sum",
        "",
        "Exit codes: 0 stopped by a signal after draining, 1 failure (Kafka unreachable within --connect-timeout, " +
            "Kafka refusing the login, at start or later, output not writable, " +
            "fenced or dropped by the consumer group, an engine thread died: the log names it and the error; " +
            "restart it, it recovers from its journal), 2 bad usage or invalid pipeline file, 3 out of memory " +
            "(the ringflow launcher passes -XX:+ExitOnOutOfMemoryError).",
        "Stopping takes at most " + Engine.SHUTDOWN_TIMEOUT_MS / 1000 + " s; past that the " +
            "daemon exits 1 without acknowledging more input." })
final class RunCommand implements Callable<Integer>
{
    private static final Logger LOG = LoggerFactory.getLogger("ringflow.run");

    @Option(names = "--pipeline", required = true, paramLabel = "FILE",
        description = "The pipeline file (YAML) to run.")
    private Path pipeline;

    @Option(names = "--plugins", paramLabel = "DIR",
        description = "The directory whose *.jar files hold the classes of the pipeline's function tasks; " +
            "overrides the pipeline's plugins-dir. Default: plugins-dir, else plugins/ next to the pipeline file.")
    private Path plugins;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,HOST:PORT...]",
        description = "Kafka to connect to; overrides the pipeline's kafka.bootstrap.servers " +
            "(default: the pipeline's, else " + KafkaClientProperties.DEFAULT_BOOTSTRAP_SERVERS + ").")
    private String bootstrapServers;

    @Option(names = "--status-interval", paramLabel = "SECONDS", defaultValue = "5",
        description = "Seconds between status lines (events in/out per second, bad input); 0 for none. " +
            "Default: ${DEFAULT-VALUE}.")
    private long statusIntervalSeconds;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
        description = "Give up (exit 1) when Kafka does not answer within this many seconds of the start. " +
            "Default: wait until it answers, logging every few seconds what is awaited. Once running, the " +
            "daemon always waits out a Kafka outage.")
    private Long connectTimeoutSeconds;

    @Option(names = { "--journal-dir", "--journal" }, paramLabel = "DIR",
        description = "The journal's directory; overrides the pipeline's journal.dir. One daemon per directory.")
    private String journalDir;

    @Option(names = "--no-journal",
        description = "Run without a journal: no recovery of window state after a restart, no replay, and " +
            "at-least-once delivery (a crash may repeat outputs).")
    private boolean noJournal;

    @Option(names = "--cpu", paramLabel = "ROLE=CPUS",
        description = "Pin the engine's threads of a role (source, worker, journal) to CPUs, e.g. --cpu worker=1 " +
            "--cpu journal=0; repeatable; overrides engine.cpus. Where pinning is not permitted, one warning and " +
            "the threads run unpinned.")
    private Map<String, String> cpus;

    @Option(names = "--workers", paramLabel = "N",
        description = "Worker threads; keyed work is sharded across them by record key, each key keeping its " +
            "order; overrides engine.workers (default 1, the fast path; more only pays with more cores).")
    private Integer workers;

    @Option(names = "--admin-bind", paramLabel = "HOST:PORT|off", defaultValue = "127.0.0.1:0",
        description = "Where the admin endpoint listens ('ringflow pipeline apply' changes the running pipeline " +
            "through it), or 'off'. Port 0 takes any free port; the URL is written to admin.url in the journal " +
            "directory, where 'pipeline apply --journal-dir' finds it. A non-loopback address needs " +
            "--admin-token-file. Default: ${DEFAULT-VALUE}.")
    private String adminBind;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
        description = "A file holding the token every admin request must carry (Authorization: Bearer TOKEN); " +
            "required to bind the admin endpoint to a non-loopback address.")
    private Path adminTokenFile;

    @Option(names = "--metrics-bind", paramLabel = "HOST:PORT|off", defaultValue = MetricsBind.DEFAULT,
        description = "Where to serve Prometheus metrics (/metrics), health (/health/live, /health/ready) and " +
            "the status of 'ringflow status'; port 0 picks a free port, 'off' serves nothing. Default: " +
            "${DEFAULT-VALUE} (this machine only).")
    private String metricsBind;

    @Override
    public Integer call() throws InterruptedException
    {
        if (statusIntervalSeconds < 0 || (null != connectTimeoutSeconds && connectTimeoutSeconds < 1))
        {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "--status-interval must be >= 0 and --connect-timeout >= 1");
        }
        PipelineSpec spec = PipelineFile.load(pipeline, plugins);
        if (null != bootstrapServers)
        {
            spec = spec.withBootstrapServers(bootstrapServers);
        }
        if (null != workers)
        {
            if (workers < 1 || workers > EngineSpec.MAX_WORKERS)
            {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--workers must be from 1 to " + EngineSpec.MAX_WORKERS + ", was " + workers);
            }
            spec = spec.withWorkers(workers);
        }
        if (null != cpus)
        {
            for (final Map.Entry<String, String> cpu : cpus.entrySet())
            {
                if (!EngineSpec.THREAD_ROLES.contains(cpu.getKey()))
                {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--cpu " +
                        cpu.getKey() + ": unknown thread role; expected one of " +
                        String.join(", ", EngineSpec.THREAD_ROLES));
                }
                try
                {
                    CpuList.parse(cpu.getValue());
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--cpu " + cpu.getKey() + ": " + ex.getMessage());
                }
            }
            spec = spec.withCpus(cpus);
        }
        if (noJournal)
        {
            spec = spec.withoutJournal();
        }
        else if (null != journalDir)
        {
            spec = spec.withJournalDir(journalDir);
        }

        // The flags above change the spec the file loaded as: check the result as loading the file did.
        spec = spec.validate(pipeline + " with the command-line options");
        final long transactionTimeoutMs = KafkaClientProperties.transactionTimeoutMs(spec);
        if (spec.sink().isExactlyOnce() && spec.engine().commitIntervalMs() >= transactionTimeoutMs)
        {
            // Kafka aborts a transaction open longer than its timeout: every one would be, and the daemon would
            // start its pipeline again from its journal after each.
            throw new PipelineValidationException(pipeline.toString(), List.of("engine.commit-interval-ms: " +
                spec.engine().commitIntervalMs() + " must be below the producer's transaction.timeout.ms (" +
                transactionTimeoutMs + "; set in sink.producer or kafka): a transaction stays open one commit " +
                "interval, and Kafka aborts one open longer than its timeout"));
        }
        final InetSocketAddress adminAddress = AdminOptions.bindAddress(this, adminBind, "--admin-bind");
        final String adminToken = AdminOptions.readToken(this, adminTokenFile);
        final MetricsServer metrics = startMetrics();
        final ShutdownSignals signals = new ShutdownSignals();
        LOG.info("starting pipeline '{}' from {}: {} -> {} on Kafka {}", spec.name(), pipeline,
            spec.source().topics(), spec.sink().topic(), KafkaClientProperties.bootstrapServers(spec.kafka()));
        long connectTimeoutMs = null == connectTimeoutSeconds ? KafkaOutage.WAIT_UNTIL_ANSWERED :
            TimeUnit.SECONDS.toMillis(connectTimeoutSeconds);
        Engine engine;
        try
        {
            while (true)
            {
                engine = runUntilStopped(spec, connectTimeoutMs, metrics, signals, adminAddress, adminToken);
                if (null == engine || signals.isSignalled() || !engine.hasFailed())
                {
                    break;
                }
                // The daemon ran before, so its settings are right. A new engine with new clients recovers from the
                // journal exactly as a restarted process would: once Kafka answers again after an outage, or at once
                // after Kafka aborted a transaction that outlived its timeout.
                final String why;
                final String readiness;
                if (KafkaOutage.isOutage(engine.failure()))
                {
                    why = "Kafka did not answer; starting it again from its journal once Kafka answers";
                    readiness = "Kafka unreachable: the pipeline starts again once Kafka answers";
                }
                else if (TransactionTimedOutException.isIn(engine.failure()))
                {
                    why = "Kafka aborted its open transaction, which outlived the producer's transaction.timeout.ms " +
                        "(a rebalance or a pause longer than that; raise it if this repeats): starting it again from " +
                        "its journal";
                    readiness = "restarting: Kafka aborted the open transaction; the pipeline starts again from its " +
                        "journal";
                }
                else
                {
                    break;
                }
                LOG.warn("pipeline '{}' stopped because {}", spec.name(), why);
                if (null != metrics)
                {
                    metrics.remove(spec.name(), readiness);
                }
                connectTimeoutMs = KafkaOutage.WAIT_UNTIL_ANSWERED;
            }
        }
        finally
        {
            closeQuietly(metrics);
        }
        if (null == engine)
        {
            LOG.info("SIG{} received while waiting for Kafka: stopped", signals.received());
            return RingflowCommand.EXIT_OK;
        }

        final EngineCounters counters = engine.counters();
        LOG.info("stopped: {}", StatusReporter.line(spec.name(), 0, 0, counters)
            .replace(": in 0/s out 0/s |", ":") + StatusReporter.modelFigures(engine.metrics()));
        if (engine.hasFailed())
        {
            final KafkaUnavailableException refused = KafkaPipeline.refusedLogin(spec, engine.failure());
            if (null != refused)
            {
                throw new CommandFailedException("pipeline '" + spec.name() + "' stopped: " + refused.getMessage(),
                    refused);
            }
            throw new CommandFailedException("pipeline '" + spec.name() + "' failed: " + engine.failure().getMessage(),
                engine.failure());
        }
        return RingflowCommand.EXIT_OK;
    }

    /**
     * Starts the pipeline (waiting for Kafka up to {@code connectTimeoutMs}) with its status lines and admin
     * endpoint, and runs it until a signal or a failure stops it.
     *
     * @return the stopped engine, or null when a signal came while waiting for Kafka.
     */
    private Engine runUntilStopped(final PipelineSpec spec, final long connectTimeoutMs, final MetricsServer metrics,
        final ShutdownSignals signals, final InetSocketAddress adminAddress, final String adminToken)
        throws InterruptedException
    {
        final Engine engine;
        try
        {
            engine = KafkaPipeline.start(spec, connectTimeoutMs, MetricsEndpoint.listener(metrics),
                signals::isSignalled);
        }
        catch (final RuntimeException ex)
        {
            if (signals.isSignalled() && KafkaOutage.isOutage(ex))
            {
                return null;
            }
            throw ex;
        }
        final StatusReporter status = statusIntervalSeconds > 0 ? new StatusReporter(engine, statusIntervalSeconds) :
            null;
        final AdminServer admin;
        try
        {
            admin = null == adminAddress ? null : AdminServer.start(adminAddress, adminToken, engine,
                spec.journal().enabled() ? Path.of(spec.journal().dir()) : null, PipelinePaths.of(pipeline, plugins));
        }
        catch (final IOException | RuntimeException ex)
        {
            engine.close();
            if (null != status)
            {
                status.close();
            }
            throw new CommandFailedException("cannot start the admin endpoint on " + adminBind + ": " +
                ex.getMessage(), ex);
        }
        try
        {
            while (!signals.await(200, TimeUnit.MILLISECONDS) && !engine.isTerminated())
            {
                // Waiting for a signal or for the engine to fail.
            }
            if (signals.isSignalled())
            {
                LOG.info("SIG{} received: draining and stopping", signals.received());
            }
            engine.close();
        }
        finally
        {
            if (null != admin)
            {
                admin.close();
            }
            if (null != status)
            {
                status.close();
            }
        }
        return engine;
    }

    private MetricsServer startMetrics()
    {
        try
        {
            return MetricsEndpoint.start(metricsBind);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "--metrics-bind: " + ex.getMessage());
        }
    }

    private static void closeQuietly(final MetricsServer metrics)
    {
        if (null != metrics)
        {
            metrics.close();
        }
    }
}
