package dev.ringflow.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM, started from
 * the Kafka Maven artifacts: for tests, {@code ringflow broker} and {@code ringflow demo}.
 * <p>
 * <b>Note:</b> Listens on one host only (127.0.0.1 by default); every replication factor is 1. Not for production.
 * <p>
 * <b>Note:</b> {@link #close()} is idempotent and deletes the data directory when it was a temporary one.
 * <p>
 * <b>Note:</b> With {@link Context#saslScramUser} it also listens on a SASL_SSL port where that user logs in with
 * SCRAM-SHA-512 ({@link #saslBootstrapServers()}, {@link #saslClientProperties()}); the PLAINTEXT port stays open
 * for the broker's own traffic and for tests' setup.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable
{
    private static final long READY_TIMEOUT_MS = 60_000;

    private final Context context;
    private final Path logDir;
    private final boolean deleteOnClose;
    private final int port;
    private final SaslScramListener sasl;
    private final KafkaRaftServer server;
    private boolean closed;

    /**
     * Broker settings with defaults; validated by {@link #start(Context)}.
     */
    public static final class Context
    {
        private int port;
        private int controllerPort;
        private Path logDir;
        private String host = "127.0.0.1";
        private int defaultPartitions = 1;
        private boolean autoCreateTopics = true;
        private String saslUser;
        private String saslPassword;
        private final Map<String, String> properties = new LinkedHashMap<>();

        /** PLAINTEXT port for clients; 0 (the default) picks a free one. */
        public Context port(final int port)
        {
            this.port = port;
            return this;
        }

        /** Controller port; 0 (the default) picks a free one. */
        public Context controllerPort(final int controllerPort)
        {
            this.controllerPort = controllerPort;
            return this;
        }

        /** Data directory, kept on close; null (the default) uses a temporary directory deleted on close. */
        public Context logDir(final Path logDir)
        {
            this.logDir = logDir;
            return this;
        }

        public Context host(final String host)
        {
            this.host = host;
            return this;
        }

        /** Partitions of auto-created topics (default 1). */
        public Context defaultPartitions(final int defaultPartitions)
        {
            this.defaultPartitions = defaultPartitions;
            return this;
        }

        public Context autoCreateTopics(final boolean autoCreateTopics)
        {
            this.autoCreateTopics = autoCreateTopics;
            return this;
        }

        /**
         * Adds a SASL_SSL listener on a free port where {@code user} logs in with SCRAM-SHA-512 and
         * {@code password}, behind a self-signed certificate made at start.
         */
        public Context saslScramUser(final String user, final String password)
        {
            this.saslUser = user;
            this.saslPassword = password;
            return this;
        }

        /** Any other broker property. */
        public Context property(final String key, final String value)
        {
            properties.put(key, value);
            return this;
        }

        public int port()
        {
            return port;
        }

        public Path logDir()
        {
            return logDir;
        }

        public String host()
        {
            return host;
        }

        int defaultPartitions()
        {
            return defaultPartitions;
        }

        boolean autoCreateTopics()
        {
            return autoCreateTopics;
        }

        Map<String, String> properties()
        {
            return properties;
        }

        void conclude()
        {
            if (port < 0 || port > 65535 || controllerPort < 0 || controllerPort > 65535)
            {
                throw new IllegalArgumentException("ports must be within 0..65535, were " + port + " and " +
                    controllerPort);
            }
            if (defaultPartitions < 1)
            {
                throw new IllegalArgumentException("defaultPartitions must be >= 1, was " + defaultPartitions);
            }
            if (null != saslUser && (saslUser.isEmpty() || null == saslPassword || saslPassword.isEmpty()))
            {
                throw new IllegalArgumentException("saslScramUser needs a user name and a password, both non-empty");
            }
        }
    }

    private EmbeddedKafkaBroker(final Context context) throws IOException
    {
        this.context = context;
        this.deleteOnClose = null == context.logDir;
        this.port = 0 == context.port ? NodeResources.freePort() :
            NodeResources.checkFree(context.host, context.port);
        final int controllerPort = 0 == context.controllerPort ? NodeResources.freePort() :
            NodeResources.checkFree(context.host, context.controllerPort);
        this.logDir = deleteOnClose ? Files.createTempDirectory("ringflow-kafka-") :
            NodeResources.prepareDir(context.logDir);

        SaslScramListener saslListener = null;
        try
        {
            saslListener = null == context.saslUser ? null :
                SaslScramListener.create(context.host, context.saslUser, context.saslPassword);
            this.sasl = saslListener;
            final Properties props = NodeProperties.of(context, logDir, port, controllerPort, saslListener);
            final KafkaConfig config = KafkaConfig.fromProps(props, false);
            NodeResources.formatIfNeeded(logDir, props);
            server = new KafkaRaftServer(config, Time.SYSTEM);
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            if (null != saslListener)
            {
                saslListener.close();
            }
            if (deleteOnClose)
            {
                NodeResources.deleteRecursively(logDir);
            }
            throw ex;
        }
    }

    /**
     * Starts a broker and waits until it serves clients.
     *
     * @throws IllegalStateException with a sentence naming the cause (port in use, directory not writable, ...).
     */
    public static EmbeddedKafkaBroker start(final Context context)
    {
        context.conclude();
        final EmbeddedKafkaBroker broker;
        try
        {
            broker = new EmbeddedKafkaBroker(context);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex.getMessage(), ex);
        }
        try
        {
            broker.server.startup();
            broker.awaitReady();
            if (null != broker.sasl)
            {
                broker.createScramCredential();
            }
            return broker;
        }
        catch (final RuntimeException ex)
        {
            broker.close();
            throw new IllegalStateException("the Kafka broker did not start: " + ex.getMessage(), ex);
        }
    }

    public String bootstrapServers()
    {
        return context.host + ":" + port;
    }

    public int port()
    {
        return port;
    }

    /**
     * HOST:PORT of the SASL_SSL listener.
     *
     * @throws IllegalStateException when the broker was started without {@link Context#saslScramUser}.
     */
    public String saslBootstrapServers()
    {
        return saslListener().bootstrapServers();
    }

    /**
     * The client properties that reach the SASL_SSL listener: {@code bootstrap.servers}, {@code security.protocol},
     * {@code sasl.mechanism} and the truststore ({@code ssl.truststore.location}, {@code .password}, {@code .type});
     * the login, {@code sasl.jaas.config}, is left to the caller ({@link #scramJaasConfig}).
     *
     * @throws IllegalStateException when the broker was started without {@link Context#saslScramUser}.
     */
    public Map<String, String> saslClientProperties()
    {
        return saslListener().clientProperties();
    }

    /**
     * The {@code sasl.jaas.config} value of a SCRAM login as {@code user} with {@code password}, which may be a
     * config provider's reference such as {@code ${file:/path/secrets.properties:password}}.
     */
    public static String scramJaasConfig(final String user, final String password)
    {
        return SaslScramListener.jaasConfig(user, password);
    }

    public Path logDir()
    {
        return logDir;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader. Does nothing when
     * the topic exists with that many partitions.
     */
    public void createTopic(final String name, final int partitions)
    {
        try (Admin admin = admin())
        {
            try
            {
                admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
            }
            catch (final ExecutionException ex)
            {
                if (!(ex.getCause() instanceof TopicExistsException))
                {
                    throw ex;
                }
            }
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true)
            {
                final TopicDescription description;
                try
                {
                    description = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(name);
                }
                catch (final ExecutionException ex)
                {
                    // Just after creation the broker's metadata may not know the topic yet.
                    if (ex.getCause() instanceof UnknownTopicOrPartitionException && deadlineNs - System.nanoTime() > 0)
                    {
                        TimeUnit.MILLISECONDS.sleep(10);
                        continue;
                    }
                    throw ex;
                }
                if (description.partitions().size() != partitions)
                {
                    throw new IllegalStateException("topic '" + name + "' exists with " +
                        description.partitions().size() + " partitions, not " + partitions);
                }
                if (description.partitions().stream().allMatch(p -> null != p.leader() && !p.leader().isEmpty()))
                {
                    return;
                }
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("topic '" + name + "' has partitions without a leader after 30 s");
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, ex);
        }
        catch (final ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            throw new IllegalStateException("cannot create topic '" + name + "': " + ex.getMessage(), ex);
        }
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            server.shutdown();
            server.awaitShutdown();
        }
        finally
        {
            if (null != sasl)
            {
                sasl.close();
            }
            if (deleteOnClose)
            {
                NodeResources.deleteRecursively(logDir);
            }
        }
    }

    private Admin admin()
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "ringflow-embedded-broker-admin");
        return Admin.create(props);
    }

    private SaslScramListener saslListener()
    {
        if (null == sasl)
        {
            throw new IllegalStateException("this broker has no SASL listener: start it with Context.saslScramUser");
        }
        return sasl;
    }

    private void createScramCredential()
    {
        try (Admin admin = admin())
        {
            sasl.createCredential(admin, READY_TIMEOUT_MS);
        }
    }

    private void awaitReady()
    {
        try (Admin admin = admin())
        {
            admin.describeCluster().nodes().get(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", ex);
        }
        catch (final ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            throw new IllegalStateException("the broker did not answer on " + bootstrapServers() + " within " +
                READY_TIMEOUT_MS + " ms", ex);
        }
    }
}
