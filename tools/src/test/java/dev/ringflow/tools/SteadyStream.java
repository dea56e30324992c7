package dev.ringflow.tools;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integers from -1000 to 1000 over 50 keys to {@code my-topic} at about 5,000 records/s, flushed every 200
 * records, on a thread of its own until stopped: a daemon reading it is always busy.
 */
final class SteadyStream
{
    private static final String TOPIC = "my-topic";
    private static final int KEYS = 50;
    private static final int RECORDS_PER_FLUSH = 200;

    private final KafkaTestSupport kafka;
    private final Random random;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong produced = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    SteadyStream(final KafkaTestSupport kafka, final Random random)
    {
        this.kafka = kafka;
        this.random = random;
        this.thread = new Thread(this::run, "test-producer");
    }

    void start()
    {
        thread.start();
    }

    /** Records written so far (acknowledged by the broker). */
    long produced()
    {
        return produced.get();
    }

    /** Stops after the current flush: every record counted in {@link #produced()} is written. */
    void stop() throws InterruptedException
    {
        stopping.set(true);
        thread.join();
        assertThat(failure.get()).isNull();
    }

    private void run()
    {
        try (KafkaProducer<String, String> producer = kafka.producer())
        {
            while (!stopping.get())
            {
                for (int i = 0; i < RECORDS_PER_FLUSH; i++)
                {
                    producer.send(new ProducerRecord<>(TOPIC, "key-" + random.nextInt(KEYS),
                        Integer.toString(random.nextInt(2001) - 1000)));
                }
                producer.flush();
                produced.addAndGet(RECORDS_PER_FLUSH);
                // Pacing, not synchronisation: the stream's rate.
                TimeUnit.MILLISECONDS.sleep(40);
            }
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }
}
