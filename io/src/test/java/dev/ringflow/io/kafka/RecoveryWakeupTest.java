package dev.ringflow.io.kafka;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.ModelSwap;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal recovery of a restarted engine runs inside the consumer's first {@code onPartitionsAssigned}, where it
 * asks Kafka for the committed offsets; a model swap (or pipeline change, or stop) accepted meanwhile wakes the
 * consumer, and that call then throws {@code WakeupException}, which Kafka answers by running the callback again at
 * the next poll. The recovery must run then: the events after the restart are scored with the model the journal
 * and snapshot hold, not with the pipeline file's.
 * <p>
 * A test assignor holds the first assignment of the second engine until the swap is accepted, so the wakeup lands
 * in that window every time, not only under load.
 */
@Timeout(180)
class RecoveryWakeupTest
{
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern FRAUD_VERSION = Pattern.compile("\"fraud_model_version\":\"([^\"]*)\"");
    private static final int PHASE = 100;
    /** Set by the test around the assignment it holds: signalled when it starts, released by the test. */
    private static volatile CountDownLatch assigning;
    private static volatile CountDownLatch released;

    @TempDir
    Path dir;

    @Test
    void shouldRecoverFromTheJournalWhenAModelSwapWakesTheConsumerDuringTheFirstAssignment() throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
            KafkaProducer<String, String> producer = GroupTestKit.stringProducer(broker.bootstrapServers()))
        {
            broker.createTopic("in", 1);
            final PipelineSpec spec = spec(broker.bootstrapServers());
            produce(producer, 0);
            final Engine first = KafkaPipeline.start(spec, 30_000);
            try
            {
                readOutputs(broker.bootstrapServers(), PHASE);
                first.swapModel(swap("fraud", "fraud-v2")).get(30, TimeUnit.SECONDS);
                produce(producer, PHASE);
                readOutputs(broker.bootstrapServers(), 2 * PHASE);
            }
            finally
            {
                first.close();
            }
            assertThat(first.hasFailed()).as("%s", first.failure()).isFalse();

            // Restarted over the same journal, whose snapshot holds fraud-v2; risk's swap wakes the consumer while
            // the group hands it its partition.
            produce(producer, 2 * PHASE);
            assigning = new CountDownLatch(1);
            released = new CountDownLatch(1);
            final Engine second = KafkaPipeline.start(spec, 30_000);
            final List<String> outputs;
            try
            {
                assertThat(assigning.await(60, TimeUnit.SECONDS)).as("the group assigns the partition").isTrue();
                second.swapModel(swap("risk", "risk-v2"));
                released.countDown();
                outputs = readOutputs(broker.bootstrapServers(), 3 * PHASE);
            }
            finally
            {
                released.countDown();
                second.close();
            }
            assertThat(second.hasFailed()).as("%s", second.failure()).isFalse();

            final List<Integer> ids = new ArrayList<>();
            for (final String output : outputs)
            {
                final int id = Integer.parseInt(field(ID, output));
                ids.add(id);
                assertThat(field(FRAUD_VERSION, output)).as("input %d", id)
                    .isEqualTo(id < PHASE ? "fraud-v1" : "fraud-v2");
            }
            assertThat(ids).as("each input once").doesNotHaveDuplicates().hasSize(3 * PHASE);
        }
        finally
        {
            assigning = null;
            released = null;
        }
    }

    /** Holds its first assignment while the test has latches set, until the test releases it. */
    public static final class HeldAssignor extends RangeAssignor
    {
        @Override
        public void onAssignment(final Assignment assignment, final ConsumerGroupMetadata metadata)
        {
            final CountDownLatch start = assigning;
            final CountDownLatch release = released;
            if (null != start && null != release && start.getCount() > 0)
            {
                start.countDown();
                try
                {
                    release.await(60, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            super.onAssignment(assignment, metadata);
        }
    }

    private PipelineSpec spec(final String servers) throws Exception
    {
        Files.writeString(dir.resolve("fraud.json"), model("fraud-v1"));
        Files.writeString(dir.resolve("risk.json"), model("risk-v1"));
        final Path pipeline = Files.writeString(dir.resolve("wakeup.yaml"), "name: wakeup\n" +
            "source: {topics: [in], format: json, consumer: {partition.assignment.strategy: " +
            HeldAssignor.class.getName() + "}}\n" +
            "tasks:\n" +
            "  - {type: score, model: fraud.json, output-field: fraud}\n" +
            "  - {type: score, model: risk.json, output-field: risk}\n" +
            "sink: {topic: out}\n" +
            "journal: {snapshot-interval-ms: 200}\n");
        return PipelineFile.load(pipeline).withBootstrapServers(servers)
            .withJournalDir(dir.resolve("journal").toString());
    }

    private static String model(final String version)
    {
        return "{\"format\": \"ringflow-linear\", \"version\": \"" + version + "\", \"link\": \"logistic\", " +
            "\"bias\": 0.5, \"features\": [\"amount\", \"n\"], \"weights\": [0.01, -0.2]}";
    }

    private static ModelSwap swap(final String task, final String version) throws Exception
    {
        final byte[] bytes = model(version).getBytes(StandardCharsets.UTF_8);
        return ModelSwap.of(task, bytes, version + ".json", "the test",
            ModelLoader.load(bytes, version + ".json", ModelLimits.defaults()));
    }

    private static void produce(final KafkaProducer<String, String> producer, final int first)
    {
        for (int i = first; i < first + PHASE; i++)
        {
            producer.send(new ProducerRecord<>("in", "card-" + i % 7,
                String.format(Locale.ROOT, "{\"id\":%d,\"amount\":%d,\"n\":%d}", i, i * 7 % 1000, i % 10)));
        }
        producer.flush();
    }

    /** The committed outputs once there are {@code count}, and any more that come within a few polls. */
    private static String field(final Pattern pattern, final String output)
    {
        final Matcher matcher = pattern.matcher(output);
        assertThat(matcher.find()).as("%s in %s", pattern, output).isTrue();
        return matcher.group(1);
    }

    private static List<String> readOutputs(final String servers, final int count)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        final List<String> outputs = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props))
        {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition("out", 0)));
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int emptyPolls = 0;
            while ((outputs.size() < count || emptyPolls < 3) && System.nanoTime() < deadlineNs)
            {
                final var records = consumer.poll(Duration.ofMillis(300));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (final ConsumerRecord<String, String> record : records)
                {
                    outputs.add(record.value());
                }
            }
        }
        assertThat(outputs).as("outputs read").hasSizeGreaterThanOrEqualTo(count);
        return outputs;
    }
}
