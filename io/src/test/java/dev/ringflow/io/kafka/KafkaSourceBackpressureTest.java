package dev.ringflow.io.kafka;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.Sink;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static dev.ringflow.io.kafka.GroupTestKit.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

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

            awaitUntil("the source pauses", source::isPaused, 60);
            final long inFlight = engine.counters().eventsIn();
            assertThat(inFlight).as("events taken in while the sink is blocked").isLessThanOrEqualTo(RING + 1);
            assertThat(sink.received.get()).isLessThanOrEqualTo(1);

            sink.open.countDown();
            awaitUntil("every record reaches the sink", () -> sink.received.get() == RECORDS, 60);
            awaitUntil("the source resumes", () -> !source.isPaused(), 60);
            engine.close();

            assertThat(engine.counters().eventsIn()).isEqualTo(RECORDS);
            assertThat(GroupTestKit.committedTotal(broker.bootstrapServers(), spec.source().groupId()))
                .isEqualTo(RECORDS);
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
        try (KafkaProducer<String, String> producer = GroupTestKit.stringProducer(servers))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                producer.send(new ProducerRecord<>("in", "k" + (i % 7), Integer.toString(i)));
            }
        }
    }
}
