package dev.ringflow.bench.e2e;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Notes when the first record of an output topic becomes readable to a {@code read_committed} consumer (for
 * transactional writers: when the first transaction commits), then stops reading, so that it costs the broker one
 * fetch of the run.
 * <p>
 * <b>Note:</b> Runs on a thread of its own; the time is read after {@link #await}.
 */
final class FirstOutputWatch implements AutoCloseable
{
    private static final Duration POLL = Duration.ofMillis(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch seen = new CountDownLatch(1);
    private volatile long firstNs;
    private volatile boolean stopped;

    private FirstOutputWatch(final String servers, final String topic, final int partitions)
    {
        consumer = Clients.consumer(servers, null, true, "e2e-first-output-" + topic);
        final List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++)
        {
            assigned.add(new TopicPartition(topic, p));
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        thread = new Thread(this::run, "e2e-first-output");
        thread.setDaemon(true);
    }

    /** Starts watching {@code topic} (existing, empty) before anything writes to it. */
    static FirstOutputWatch start(final String servers, final String topic, final int partitions)
    {
        final FirstOutputWatch watch = new FirstOutputWatch(servers, topic, partitions);
        watch.thread.start();
        return watch;
    }

    /**
     * @return when the first output was read, in {@link System#nanoTime()} terms, or 0 if none within
     * {@code timeout}.
     */
    long await(final Duration timeout) throws InterruptedException
    {
        return seen.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? firstNs : 0;
    }

    private void run()
    {
        try
        {
            while (!stopped)
            {
                if (!consumer.poll(POLL).isEmpty())
                {
                    firstNs = System.nanoTime();
                    seen.countDown();
                    return;
                }
            }
        }
        catch (final WakeupException ex)
        {
            // Closed before the first output.
        }
        finally
        {
            consumer.close();
        }
    }

    @Override
    public void close()
    {
        stopped = true;
        if (thread.isAlive())
        {
            try
            {
                consumer.wakeup();
            }
            catch (final IllegalStateException ex)
            {
                // The thread closed the consumer meanwhile: it has stopped.
            }
        }
        LatencyRun.joinQuietly(thread);
    }
}
