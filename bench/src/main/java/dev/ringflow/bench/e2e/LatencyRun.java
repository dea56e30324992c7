package dev.ringflow.bench.e2e;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.io.kafka.KafkaPipeline;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * End-to-end latency of the seed pipeline under a fixed offered rate: a sender thread produces records on a steady
 * schedule (record {@code s} is due at {@code start + s / rate}), Ringflow (or, as the baseline, the plain forward
 * loop; see {@link Forwarder}) processes them, and a
 * {@code read_committed} consumer of the output topic records, for every output, the time from the input's
 * <em>intended</em> send time to the moment the output was polled. Starting from the schedule rather than from the
 * actual send corrects for coordinated omission: when anything stalls, the records that should have been sent
 * meanwhile are charged the stall.
 * <p>
 * Ringflow forwards neither headers nor anything but the input's key and millisecond timestamp to an output, so
 * outputs are matched to inputs by key and per-key order instead (each input has exactly one output, and a
 * key's outputs keep its inputs' order): keys go round-robin, so the {@code j}-th output of {@code key-k} belongs
 * to input {@code j * keys + k}. Both times come from {@link System#nanoTime()} in this JVM. The output record's
 * timestamp (the intended send time in ms, as the input carried it) is checked against the match.
 * <p>
 * Before the schedule starts, one priming record per key goes through the pipeline and its output is awaited,
 * so group joins, transaction set-up and first fetches are not measured. The schedule then runs
 * a warm-up at the offered rate before the measured part, without a break: a freshly started pipeline
 * stalls for a few hundred milliseconds when load first arrives (measured per 100 ms of schedule: 250-460 ms
 * at first, 12-25 ms per 100 ms once settled), and that stall is reported on its own (the warm-up's worst
 * latency) instead of being mixed into the steady-state percentiles.
 */
final class LatencyRun
{
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration PRIMING_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final long CONNECT_TIMEOUT_MS = 30_000;
    /** How the tables and the plot name the latency baseline, the forward loop. */
    static final String FORWARD_LOOP = "forward loop, at-least-once rates";
    /** The latency runs' producer waits at most this long to fill a batch. */
    static final int LINGER_MS = 1;
    /** Offered load before the measured part of each rate; its outputs only count towards the warm-up maximum. */
    private final Duration warmUpTime;

    private final String servers;
    private final InputSequence input;
    private final int keys;

    /**
     * The outcome of one rate.
     *
     * @param delivery            what was measured (Ringflow's delivery guarantee, or the forward loop), as the tables
     *                            and the plot label it.
     * @param percent             the offered rate as a percentage of the measured throughput (for the forward loop:
     *                            of Ringflow's at-least-once throughput).
     * @param rate                offered records per second.
     * @param micros              output latencies in microseconds, from intended send time.
     * @param expected            records scheduled.
     * @param received            outputs matched to a scheduled input.
     * @param timestampMismatches outputs whose timestamp was not their matched input's (should be 0).
     * @param maxSendLagMs        how far the sender fell behind its schedule at worst.
     * @param warmUpMaxMs         the worst latency of the warm-up's outputs (the start-up stall).
     */
    record Result(String delivery, int percent, long rate, Histogram micros, long expected, long received,
        long timestampMismatches, double maxSendLagMs, double warmUpMaxMs)
    {
        double percentileMs(final double percentile)
        {
            return micros.getValueAtPercentile(percentile) / 1e3;
        }

        double maxMs()
        {
            return micros.getMaxValue() / 1e3;
        }
    }

    /** With {@code warmUp} of offered load before each measured part. */
    LatencyRun(final String servers, final InputSequence input, final Duration warmUp)
    {
        this.warmUpTime = warmUp;
        this.servers = servers;
        this.input = input;
        this.keys = input.keys();
    }

    /** What carries the records from the input topic to the output topic while a rate is measured. */
    interface Forwarder extends AutoCloseable
    {
        /**
         * @throws IllegalStateException when it has failed.
         */
        void checkHealthy();

        @Override
        void close();
    }

    /** Ringflow running {@code spec}. */
    static Forwarder ringflow(final PipelineSpec spec)
    {
        final Engine engine = KafkaPipeline.start(spec, CONNECT_TIMEOUT_MS);
        return new Forwarder()
        {
            @Override
            public void checkHealthy()
            {
                if (engine.hasFailed())
                {
                    throw new IllegalStateException("the pipeline failed: " + engine.failure(), engine.failure());
                }
            }

            @Override
            public void close()
            {
                engine.close();
            }
        };
    }

    /**
     * Starts a forwarder (reading {@code inputTopic}, writing {@code outputTopic}, both existing and empty), offers
     * it {@code rate} records/s for {@code duration}, and closes it.
     *
     * @param delivery what the forwarder is, as the tables and the plot label it.
     */
    Result run(final String delivery, final int percent, final long rate, final Duration duration,
        final Supplier<Forwarder> forwarder, final String inputTopic, final String outputTopic)
    {
        final long scheduled = Math.max(1, rate * duration.toMillis() / 1_000);
        final long warmUp = rate * warmUpTime.toMillis() / 1_000;
        final long total = warmUp + scheduled;
        long warmUpMaxNs = 0;
        final Histogram micros = new Histogram(3);
        micros.setAutoResize(true);
        final long[] seenPerKey = new long[keys];
        final AtomicReference<Exception> sendFailure = new AtomicReference<>();
        final Callback onCompletion = (metadata, exception) ->
        {
            if (null != exception)
            {
                sendFailure.compareAndSet(null, exception);
            }
        };
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(servers, LINGER_MS, "e2e-latency-" + percent);
            KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(servers, null, true, "e2e-latency-" + percent);
            Forwarder subject = forwarder.get())
        {
            final List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(outputTopic).forEach(p -> partitions.add(new TopicPartition(outputTopic,
                p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);

            prime(producer, consumer, subject, inputTopic, seenPerKey, onCompletion, sendFailure);

            final Schedule schedule = new Schedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5),
                System.currentTimeMillis() * 1_000, rate);
            final Sender sender = new Sender(producer, inputTopic, schedule, total, onCompletion);
            final Thread senderThread = new Thread(sender, "e2e-latency-sender");
            senderThread.start();
            long received = 0;
            long timestampMismatches = 0;
            try
            {
                final long deadlineNs = schedule.startNs + warmUpTime.toNanos() + duration.toNanos() +
                    DRAIN_TIMEOUT.toNanos();
                long warmUpReceived = 0;
                while (warmUpReceived + received < total && System.nanoTime() - deadlineNs < 0)
                {
                    checkHealthy(subject, sendFailure);
                    final ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                    final long polledNs = System.nanoTime();
                    for (final ConsumerRecord<byte[], byte[]> record : batch)
                    {
                        final long s = inputIndex(record, seenPerKey) - keys;
                        if (s < 0 || s >= total)
                        {
                            throw new IllegalStateException("an output of " + outputTopic + " at " +
                                record.partition() + "/" + record.offset() + " matches no scheduled input");
                        }
                        final long latencyNs = Math.max(0, polledNs - schedule.intendedNs(s));
                        if (record.timestamp() != schedule.timestampMs(s))
                        {
                            timestampMismatches++;
                        }
                        if (s < warmUp)
                        {
                            warmUpMaxNs = Math.max(warmUpMaxNs, latencyNs);
                            warmUpReceived++;
                        }
                        else
                        {
                            micros.recordValue(latencyNs / 1_000);
                            received++;
                        }
                    }
                }
            }
            finally
            {
                sender.stop();
                joinQuietly(senderThread);
            }
            checkHealthy(subject, sendFailure);
            return new Result(delivery, percent, rate, micros,
                scheduled, received, timestampMismatches, sender.maxLagNs() / 1e6, warmUpMaxNs / 1e6);
        }
    }

    /** Sends one record per key and waits for all their outputs. */
    private void prime(final KafkaProducer<byte[], byte[]> producer, final KafkaConsumer<byte[], byte[]> consumer,
        final Forwarder subject, final String inputTopic, final long[] seenPerKey, final Callback onCompletion,
        final AtomicReference<Exception> sendFailure)
    {
        for (int k = 0; k < keys; k++)
        {
            producer.send(new ProducerRecord<>(inputTopic, input.keyBytes(k), input.valueBytes(k % 10)), onCompletion);
        }
        producer.flush();
        final long deadlineNs = System.nanoTime() + PRIMING_TIMEOUT.toNanos();
        long primed = 0;
        while (primed < keys)
        {
            checkHealthy(subject, sendFailure);
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("only " + primed + " of " + keys + " priming outputs arrived within " +
                    PRIMING_TIMEOUT.toSeconds() + " s");
            }
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL))
            {
                if (inputIndex(record, seenPerKey) >= keys)
                {
                    throw new IllegalStateException("a second output for a key during priming");
                }
                primed++;
            }
        }
    }

    /** The index of the input an output belongs to (see the class comment); counts the output for its key. */
    private long inputIndex(final ConsumerRecord<byte[], byte[]> record, final long[] seenPerKey)
    {
        final int key = InputSequence.keyIndex(record.key(), keys);
        if (key < 0)
        {
            throw new IllegalStateException("unexpected output key in partition " + record.partition() + " at " +
                record.offset());
        }
        return seenPerKey[key]++ * keys + key;
    }

    private static void checkHealthy(final Forwarder subject, final AtomicReference<Exception> sendFailure)
    {
        subject.checkHealthy();
        if (null != sendFailure.get())
        {
            throw new IllegalStateException("a send failed: " + sendFailure.get(), sendFailure.get());
        }
    }

    /** Waits for {@code thread} to end, keeping this thread's interrupt for after. */
    static void joinQuietly(final Thread thread)
    {
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * When scheduled record {@code s} is due: {@code startNs + s * 1e9 / rate}, computed exactly in integers so the
     * schedule does not drift; its Kafka timestamp is the same instant on the wall clock, in ms.
     */
    private record Schedule(long startNs, long startEpochMicros, long rate)
    {
        long offsetNs(final long s)
        {
            return s / rate * 1_000_000_000L + s % rate * 1_000_000_000L / rate;
        }

        long intendedNs(final long s)
        {
            return startNs + offsetNs(s);
        }

        long timestampMs(final long s)
        {
            return (startEpochMicros + offsetNs(s) / 1_000) / 1_000;
        }
    }

    /** Sends the scheduled records: each when it is due, or at once when the sender is behind. */
    private final class Sender implements Runnable
    {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final Schedule schedule;
        private final long count;
        private final Callback onCompletion;
        private volatile boolean stopped;
        private volatile long maxLagNs;

        Sender(final KafkaProducer<byte[], byte[]> producer, final String topic, final Schedule schedule,
            final long count, final Callback onCompletion)
        {
            this.producer = producer;
            this.topic = topic;
            this.schedule = schedule;
            this.count = count;
            this.onCompletion = onCompletion;
        }

        @Override
        public void run()
        {
            long lagNs = 0;
            for (long s = 0; s < count && !stopped; s++)
            {
                final long dueNs = schedule.intendedNs(s);
                long nowNs = System.nanoTime();
                while (nowNs - dueNs < 0)
                {
                    // Waiting for the schedule, not for another thread.
                    LockSupport.parkNanos(dueNs - nowNs);
                    nowNs = System.nanoTime();
                }
                lagNs = Math.max(lagNs, nowNs - dueNs);
                final long i = keys + s;
                final int key = (int)(i % keys);
                producer.send(new ProducerRecord<>(topic, null, schedule.timestampMs(s), input.keyBytes(key),
                    input.valueBytes((int)(i % InputSequence.VALUE_BOUND))), onCompletion);
                if ((s & 1023) == 0)
                {
                    maxLagNs = lagNs;
                }
            }
            maxLagNs = lagNs;
            producer.flush();
        }

        void stop()
        {
            stopped = true;
        }

        long maxLagNs()
        {
            return maxLagNs;
        }
    }
}
