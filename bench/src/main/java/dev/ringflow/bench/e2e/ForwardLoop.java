package dev.ringflow.bench.e2e;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The consume -> produce loop of scenario (b) on a thread of its own, as a {@link LatencyRun.Forwarder}: the
 * latency baseline that moves records between topics and does nothing else, measured at the same offered rates as
 * Ringflow. Each poll's records are sent unchanged, the producer is flushed and the offsets are committed
 * ({@link PlainKafkaScenarios#forwardBatch}).
 */
final class ForwardLoop implements LatencyRun.Forwarder
{
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String input;
    private final String output;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    private ForwardLoop(final String servers, final String input, final String output, final String group)
    {
        this.consumer = Clients.consumer(servers, group, false, group);
        this.producer = Clients.producer(servers, Clients.SINK_LINGER_MS, group);
        this.input = input;
        this.output = output;
        this.thread = new Thread(this::run, "e2e-forward-loop");
    }

    /** Starts forwarding {@code input} to {@code output} with consumer group {@code group}. */
    static ForwardLoop start(final String servers, final String input, final String output, final String group)
    {
        final ForwardLoop loop = new ForwardLoop(servers, input, output, group);
        loop.thread.start();
        return loop;
    }

    private void run()
    {
        final Callback onCompletion = (metadata, exception) ->
        {
            if (null != exception)
            {
                sendFailure.compareAndSet(null, exception);
            }
        };
        try
        {
            consumer.subscribe(List.of(input));
            while (!stopped)
            {
                final ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                if (!batch.isEmpty())
                {
                    PlainKafkaScenarios.forwardBatch(batch, consumer, producer, output, onCompletion, sendFailure);
                }
            }
        }
        catch (final WakeupException ex)
        {
            if (!stopped)
            {
                failure.compareAndSet(null, ex);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    @Override
    public void checkHealthy()
    {
        final Throwable cause = failure.get();
        if (null != cause)
        {
            throw new IllegalStateException("the forward loop failed: " + cause, cause);
        }
    }

    @Override
    public void close()
    {
        stopped = true;
        consumer.wakeup();
        LatencyRun.joinQuietly(thread);
        try
        {
            consumer.close();
        }
        finally
        {
            producer.close();
        }
    }
}
