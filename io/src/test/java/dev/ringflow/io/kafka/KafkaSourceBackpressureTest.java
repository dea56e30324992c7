package dev.ringflow.io.kafka;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.Sink;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A sink that cannot keep up fills the ring; the Kafka source then pauses its partitions instead of buffering
 * without bound, and resumes without losing anything once the sink catches up.
 */
class KafkaSourceBackpressureTest
{
    private static final int RING = 64;
    private static final int RECORDS = 20_000;

    @Test
    void shouldPauseWhenTheRingIsFullAndLoseNothingWhenTheSinkCatchesUp() throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            broker.createTopic("in", 2);
            produce(broker.bootstrapServers());
            final PipelineSpec spec = PipelineBuilder.named("backpressure").source("in").format("{value}")
                .sink("out").ringCapacity(RING).kafkaProperty("bootstrap.servers", broker.bootstrapServers())
                .build();
            final GatedSink sink = new GatedSink();
            final KafkaSource source = new KafkaSource(KafkaClientProperties.consumer(spec), spec.source().topics());
            final Engine engine = Engine.start(spec, source, sink);

            awaitUntil("the source pauses", source::isPaused);
            final long inFlight = engine.counters().eventsIn();
            assertThat(inFlight).as("events taken in while the sink is blocked").isLessThanOrEqualTo(RING + 1);
            assertThat(sink.received.get()).isLessThanOrEqualTo(1);

            sink.open.countDown();
            awaitUntil("every record reaches the sink", () -> sink.received.get() == RECORDS);
            awaitUntil("the source resumes", () -> !source.isPaused());
            engine.close();

            assertThat(engine.counters().eventsIn()).isEqualTo(RECORDS);
            assertThat(committed(broker.bootstrapServers(), spec.source().groupId())).isEqualTo(RECORDS);
        }
    }

    /** A sink whose first record blocks until the test opens the gate. */
    private static final class GatedSink implements Sink
    {
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicLong received = new AtomicLong();

        @Override
        public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
            final String reason, final EventSlot source)
        {
            if (kind != OutputList.OUTPUT)
            {
                return;
            }
            received.incrementAndGet();
            try
            {
                open.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onEndOfBatch()
        {
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
            open.countDown();
        }
    }

    private static void produce(final String servers)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                producer.send(new ProducerRecord<>("in", "k" + (i % 7), Integer.toString(i)));
            }
        }
    }

    private static long committed(final String servers, final String group) throws Exception
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(props))
        {
            final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    private static void awaitUntil(final String what, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail(what + ": not within 60 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
