package dev.ringflow.bench.e2e;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the soak's output topic as committed, from its beginning, checks every output against
 * {@link SoakSequence#expectedOutput} (key {@code k}'s {@code j}-th output is the sliding sum of its {@code j}-th
 * input), and records each timed output's latency: from its input's intended send time (the output's Kafka
 * timestamp, ms) to the poll that returned it. Memory stays bounded however long the soak runs: a counter per key.
 * <p>
 * <b>Note:</b> Runs on its own thread until {@link #stop()}; the counters and the recorder are read by the sampling
 * thread.
 */
final class SoakOutputs implements Runnable
{
    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SoakSequence sequence;
    private final long firstTimed;
    private final long startNs;
    private final long startEpochMicros;
    private final long[] seenPerKey;
    private final Recorder latencyMicros = new Recorder(3);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private volatile String firstWrong;
    private volatile boolean stopped;
    private volatile Map<TopicPartition, Long> stopAt;

    /**
     * @param firstTimed       outputs of inputs before this index are checked but not timed (the calibration's
     *                         backlog).
     * @param startNs          an instant on {@link System#nanoTime()} ...
     * @param startEpochMicros ... and the same instant on the wall clock: poll times are taken on the monotonic clock
     *                         and put on the wall clock through this pair.
     */
    SoakOutputs(final String servers, final String topic, final SoakSequence sequence, final long firstTimed,
        final long startNs, final long startEpochMicros)
    {
        this.sequence = sequence;
        this.firstTimed = firstTimed;
        this.startNs = startNs;
        this.startEpochMicros = startEpochMicros;
        seenPerKey = new long[sequence.keys()];
        consumer = Clients.consumer(servers, null, true, "soak-verify");
        final List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @Override
    public void run()
    {
        try
        {
            while (!stopped && !reachedStop())
            {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL))
                {
                    onOutput(record, startEpochMicros + (System.nanoTime() - startNs) / 1_000);
                }
            }
        }
        finally
        {
            consumer.close();
        }
    }

    /** Ends the loop at its next poll. */
    void stop()
    {
        stopped = true;
    }

    /** Ends the loop once the consumer's position has reached {@code ends} (read as committed) on every partition. */
    void stopAt(final Map<TopicPartition, Long> ends)
    {
        stopAt = Map.copyOf(ends);
    }

    long received()
    {
        return received.get();
    }

    /** Outputs whose key was not a soak key, or whose value was not the expected sliding sum. */
    long wrong()
    {
        return wrong.get();
    }

    /** What the first wrong output was, or null. */
    String firstWrong()
    {
        return firstWrong;
    }

    /** The latencies recorded since the last call, in microseconds. */
    Histogram takeInterval()
    {
        return latencyMicros.getIntervalHistogram();
    }

    private boolean reachedStop()
    {
        final Map<TopicPartition, Long> ends = stopAt;
        if (null == ends)
        {
            return false;
        }
        for (final Map.Entry<TopicPartition, Long> end : ends.entrySet())
        {
            if (consumer.position(end.getKey()) < end.getValue())
            {
                return false;
            }
        }
        return true;
    }

    private void onOutput(final ConsumerRecord<byte[], byte[]> record, final long polledEpochMicros)
    {
        received.incrementAndGet();
        final int key = InputSequence.keyIndex(record.key(), sequence.keys());
        if (key < 0)
        {
            noteWrong("an output with an unexpected key at " + record.topic() + "-" + record.partition() + "@" +
                record.offset());
            return;
        }
        final long nth = seenPerKey[key]++;
        final long value = OutputTopicReader.parseInt(record.value());
        final long expected = sequence.expectedOutput(key, nth);
        if (value != expected)
        {
            noteWrong(InputSequence.KEY_PREFIX + key + ": output #" + nth + " (" + record.topic() + "-" +
                record.partition() + "@" + record.offset() + ") is " + (value == Long.MIN_VALUE ? "not an integer" :
                value) + ", expected " + expected);
        }
        if (sequence.indexOf(key, nth) >= firstTimed)
        {
            latencyMicros.recordValue(Math.max(0, polledEpochMicros - record.timestamp() * 1_000));
        }
    }

    private void noteWrong(final String what)
    {
        if (wrong.getAndIncrement() == 0)
        {
            firstWrong = what;
        }
    }
}
