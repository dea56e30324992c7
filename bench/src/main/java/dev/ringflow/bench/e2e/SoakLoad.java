package dev.ringflow.bench.e2e;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak's load: sends records {@code first, first + 1, ...} of a {@link SoakSequence} on a fixed schedule,
 * record {@code first + s} due at {@code startNs + s / rate}, until the schedule reaches {@code endNs} or
 * {@link #stop()}. Each record's Kafka timestamp is its <em>intended</em> send time on the wall clock (ms), which
 * its output keeps, so latency measured from it charges a stall of the sender, the broker or the daemon to every
 * record due meanwhile (no coordinated omission).
 * <p>
 * <b>Note:</b> Runs on its own thread; the counters are read by the sampling thread.
 */
final class SoakLoad implements Runnable
{
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final InputSequence bytes;
    private final SoakSequence sequence;
    private final long first;
    private final long rate;
    private final long startNs;
    private final long startEpochMicros;
    private final long endNs;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong maxLagNs = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Callback onCompletion = this::onCompletion;
    private volatile boolean stopped;

    /**
     * @param startNs          when the first record is due ({@link System#nanoTime()}).
     * @param startEpochMicros the same instant on the wall clock.
     */
    SoakLoad(final KafkaProducer<byte[], byte[]> producer, final String topic, final SoakSequence sequence,
        final long first, final long rate, final long startNs, final long startEpochMicros, final long endNs)
    {
        this.producer = producer;
        this.topic = topic;
        this.sequence = sequence;
        this.bytes = new InputSequence(0, sequence.keys());
        this.first = first;
        this.rate = rate;
        this.startNs = startNs;
        this.startEpochMicros = startEpochMicros;
        this.endNs = endNs;
    }

    @Override
    public void run()
    {
        for (long s = 0; !stopped; s++)
        {
            final long dueNs = startNs + scheduleOffsetNs(s);
            if (dueNs - endNs >= 0)
            {
                break;
            }
            long nowNs = System.nanoTime();
            while (nowNs - dueNs < 0)
            {
                // Waiting for the schedule, not for another thread.
                LockSupport.parkNanos(dueNs - nowNs);
                nowNs = System.nanoTime();
            }
            maxLagNs.accumulateAndGet(nowNs - dueNs, Math::max);
            final long index = first + s;
            final long timestampMs = (startEpochMicros + scheduleOffsetNs(s) / 1_000) / 1_000;
            producer.send(new ProducerRecord<>(topic, null, timestampMs, bytes.keyBytes(sequence.keyOf(index)),
                bytes.valueBytes(SoakSequence.valueOf(index))), onCompletion);
            sent.incrementAndGet();
        }
        producer.flush();
    }

    void stop()
    {
        stopped = true;
    }

    /** Records handed to the producer so far. */
    long sent()
    {
        return sent.get();
    }

    /** Records the broker acknowledged so far. */
    long acknowledged()
    {
        return acknowledged.get();
    }

    /** How far the sender fell behind its schedule at worst since the last call. */
    long takeMaxLagNs()
    {
        return maxLagNs.getAndSet(0);
    }

    /** The first failed send, or null. */
    Exception failure()
    {
        return failure.get();
    }

    /** {@code s / rate} seconds in ns, exact in integers so the schedule does not drift. */
    private long scheduleOffsetNs(final long s)
    {
        return s / rate * 1_000_000_000L + s % rate * 1_000_000_000L / rate;
    }

    private void onCompletion(final org.apache.kafka.clients.producer.RecordMetadata metadata, final Exception ex)
    {
        if (null == ex)
        {
            acknowledged.incrementAndGet();
        }
        else
        {
            failure.compareAndSet(null, ex);
        }
    }
}
