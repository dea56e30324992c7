package dev.ringflow.io.kafka;

import dev.ringflow.api.Emitter;
import dev.ringflow.api.FunctionContext;
import dev.ringflow.api.Record;
import dev.ringflow.api.RecordFunction;
import dev.ringflow.engine.pipeline.FunctionTaskSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.io.journal.ChronicleJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pipeline whose engine fails to start leaves nothing open behind it: no Kafka client, no engine thread, no
 * journal lock.
 */
class KafkaPipelineStartFailureTest
{
    @TempDir
    Path dir;

    /** A function task whose open() throws an Error, as a plugin missing a class would. */
    public static final class FailingToOpen implements RecordFunction
    {
        @Override
        public void open(final FunctionContext context)
        {
            throw new NoClassDefFoundError("com/example/MissingDependency");
        }

        @Override
        public void apply(final Record record, final Emitter out)
        {
        }
    }

    @Test
    void shouldCloseClientsAndJournalWhenTheEngineFailsToStart() throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            broker.createTopic("in", 2);
            final PipelineSpec spec = PipelineBuilder.named("failing").source("in").jsonInput(null, null)
                .task(FunctionTaskSpec.of(FailingToOpen.class, Map.of(), List.of())).sink("out")
                .kafkaProperty("bootstrap.servers", broker.bootstrapServers()).build()
                .withJournalDir(dir.resolve("journal").toString());
            final int clientsBefore = kafkaClients();

            assertThatThrownBy(() -> KafkaPipeline.start(spec, 30_000))
                .isInstanceOf(NoClassDefFoundError.class).hasMessageContaining("MissingDependency");

            // Kafka clients register an app-info MBean on creation and remove it when closed.
            assertThat(kafkaClients()).as("Kafka clients left open").isEqualTo(clientsBefore);
            awaitNoThread("ringflow-");
            awaitNoThread("kafka-producer-network-thread");
            // The journal's lock is free again: a new daemon on the same directory may start.
            try (ChronicleJournal again = ChronicleJournal.open(spec.journal()))
            {
                assertThat(again.dir()).isDirectory();
            }
        }
    }

    private static int kafkaClients() throws MalformedObjectNameException
    {
        final Set<ObjectName> producers = ManagementFactory.getPlatformMBeanServer()
            .queryNames(new ObjectName("kafka.producer:type=app-info,*"), null);
        final Set<ObjectName> consumers = ManagementFactory.getPlatformMBeanServer()
            .queryNames(new ObjectName("kafka.consumer:type=app-info,*"), null);
        return producers.size() + consumers.size();
    }

    /** Waits up to 10 s for every thread whose name starts with {@code prefix} to end. */
    private static void awaitNoThread(final String prefix)
    {
        GroupTestKit.awaitUntil("no thread named " + prefix + "* is left running",
            () -> aliveThreads(prefix).isEmpty(), 10);
    }

    private static List<String> aliveThreads(final String prefix)
    {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(name -> name.startsWith(prefix)).toList();
    }
}
