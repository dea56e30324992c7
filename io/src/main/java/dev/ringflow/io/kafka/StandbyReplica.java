package dev.ringflow.io.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A warm copy of the partition state other daemons publish ({@code state.standby-replicas: 1}): the latest complete
 * state of every input partition this daemon does not own, read from the state topic as it is committed, so that
 * taking one of them over needs no read of the topic.
 * <p>
 * A state's chunks are committed in one transaction with the offsets that point to them, so once the first chunk
 * of a newer state is visible (read committed) no commit points to the older one any more, and it is dropped: the
 * memory held is about the size of the state of the partitions not owned (plus one partition's state while it is
 * being copied and taken over).
 * <p>
 * <b>Note:</b> One thread, {@code ringflow-standby}, reads the topic, blocking in its polls; {@link #take},
 * {@link #own} and {@link #release} run on the source thread. Shared fields are guarded by this object's monitor.
 */
final class StandbyReplica implements AutoCloseable
{
    static final String THREAD_NAME = "ringflow-standby";
    private static final Logger LOG = LoggerFactory.getLogger(StandbyReplica.class);
    /** A poll blocks this long at most when nothing is published: the thread never spins. */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration PARTITIONS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final long JOIN_TIMEOUT_MS = 10_000;

    private final String topic;
    private final Properties properties;
    private final Thread thread;
    /** The latest state seen of each input partition not owned; the complete ones can be taken over. */
    private final Map<TopicPartition, StateChunks> copies = new HashMap<>();
    private final Set<TopicPartition> owned = new HashSet<>();
    /** The next offset the thread reads in each state partition. */
    private final Map<Integer, Long> positions = new HashMap<>();
    /** Where each state partition ended when the thread started: once read that far, the copy has caught up. */
    private final Map<Integer, Long> loadedTo = new HashMap<>();
    /** Once the topic was read to {@link #loadedTo}, or a poll found nothing new: the copies are warm. */
    private boolean caughtUp;
    private volatile long bytes;
    private volatile int partitions;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param restoreProperties the state topic's consumer properties (no group, read committed).
     */
    StandbyReplica(final String topic, final Properties restoreProperties)
    {
        this.topic = topic;
        properties = new Properties();
        properties.putAll(restoreProperties);
        // Copies are rebuilt from whatever the (compacted) topic still holds.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The daemon's preflight creates the state topic compacted; a standby must never create it otherwise.
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG,
            restoreProperties.getProperty(ConsumerConfig.CLIENT_ID_CONFIG, "ringflow") + "-standby");
        thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
        LOG.info("standby replica: keeping a warm copy of the state other daemons publish to '{}'", topic);
    }

    /** Why the thread stopped by itself, or null while it runs (or was closed). */
    Throwable failure()
    {
        return failure;
    }

    /** Bytes of state held for partitions this daemon does not own. */
    long bytes()
    {
        return bytes;
    }

    /** Input partitions whose latest state is held whole. */
    int partitions()
    {
        return partitions;
    }

    /**
     * The state {@code pointer} names for {@code input} when this copy holds it whole. When the copy has caught up
     * with the topic but not yet read as far as the pointer's records (they were committed a moment ago, e.g. by a
     * daemon that gave the partition up cleanly), waits for it until {@code deadlineNs}: it reads them anyway.
     *
     * @return the state's bytes, or null when the topic must be read: the copy is still loading, has read past the
     * pointer's records without finding that state whole, or the deadline passed.
     */
    synchronized byte[] take(final TopicPartition input, final StateTopic.Pointer pointer, final long deadlineNs)
    {
        while (true)
        {
            final StateChunks copy = copies.get(input);
            if (null != copy && copy.matches(pointer))
            {
                return copy.join();
            }
            final Long position = positions.get(pointer.statePartition());
            final long waitNs = deadlineNs - System.nanoTime();
            if (!caughtUp || !running || null != failure || null == position || position > pointer.lastOffset() ||
                waitNs <= 0)
            {
                return null;
            }
            try
            {
                TimeUnit.NANOSECONDS.timedWait(this, waitNs);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** {@code input} is this daemon's now: its copy is dropped and its states are not kept. */
    synchronized void own(final TopicPartition input)
    {
        owned.add(input);
        drop(copies.remove(input));
        count();
    }

    /**
     * {@code inputs} are being given up: the state about to be committed for their next owner is kept again, for
     * when this daemon gets them back.
     */
    synchronized void release(final Collection<TopicPartition> inputs)
    {
        owned.removeAll(inputs);
    }

    private void run()
    {
        try
        {
            consumer = new KafkaConsumer<>(properties);
            final List<TopicPartition> statePartitions = new ArrayList<>();
            if (running)
            {
                final List<PartitionInfo> infos = consumer.partitionsFor(topic, PARTITIONS_TIMEOUT);
                if (null == infos || infos.isEmpty())
                {
                    throw new IllegalStateException("the state topic '" + topic + "' does not exist");
                }
                infos.forEach(info -> statePartitions.add(new TopicPartition(topic, info.partition())));
                consumer.assign(statePartitions);
                consumer.seekToBeginning(statePartitions);
                // Read committed: where the first open transaction starts, which is as far as a copy can get now.
                final Map<TopicPartition, Long> ends = consumer.endOffsets(statePartitions);
                synchronized (this)
                {
                    ends.forEach((tp, end) -> loadedTo.put(tp.partition(), end));
                }
            }
            while (running)
            {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                final Map<Integer, Long> read = new HashMap<>();
                for (final TopicPartition statePartition : statePartitions)
                {
                    read.put(statePartition.partition(), consumer.position(statePartition));
                }
                onPolled(records, read);
            }
        }
        catch (final Throwable ex)
        {
            if (running)
            {
                failure = ex;
                LOG.error("standby replica stopped: {}", ex.toString(), ex);
            }
        }
        finally
        {
            closeConsumer();
            synchronized (this)
            {
                notifyAll();
            }
        }
    }

    private synchronized void onPolled(final ConsumerRecords<byte[], byte[]> records, final Map<Integer, Long> read)
    {
        for (final ConsumerRecord<byte[], byte[]> record : records)
        {
            onRecord(record);
        }
        positions.putAll(read);
        count();
        if (!caughtUp && (records.isEmpty() || hasLoaded()))
        {
            caughtUp = true;
            LOG.info("standby replica caught up: {} bytes of state of {} partitions not owned", bytes, partitions);
        }
        notifyAll();
    }

    private void onRecord(final ConsumerRecord<byte[], byte[]> record)
    {
        // Null values delete an older state's extra chunks; records without the headers are not Ringflow's.
        final String id = StateChunks.id(record);
        final int[] place = StateChunks.place(record);
        final TopicPartition input = StateChunks.input(record.key());
        if (null == record.value() || id.isEmpty() || null == place || null == input || owned.contains(input))
        {
            return;
        }
        StateChunks copy = copies.get(input);
        if (null == copy || !copy.id.equals(id))
        {
            drop(copy);
            copy = new StateChunks(id, record.partition(), place[1]);
            copies.put(input, copy);
        }
        if (place[1] == copy.count())
        {
            bytes += copy.add(place[0], record.value(), record.offset());
        }
    }

    private boolean hasLoaded()
    {
        for (final Map.Entry<Integer, Long> end : loadedTo.entrySet())
        {
            if (positions.getOrDefault(end.getKey(), -1L) < end.getValue())
            {
                return false;
            }
        }
        return true;
    }

    private void drop(final StateChunks copy)
    {
        if (null != copy)
        {
            bytes -= copy.bytes();
        }
    }

    private void count()
    {
        int complete = 0;
        for (final StateChunks copy : copies.values())
        {
            complete += copy.isComplete() ? 1 : 0;
        }
        partitions = complete;
    }

    private void closeConsumer()
    {
        final KafkaConsumer<byte[], byte[]> reader = consumer;
        if (null == reader)
        {
            return;
        }
        try
        {
            reader.close(CONSUMER_CLOSE_TIMEOUT);
        }
        catch (final RuntimeException ex)
        {
            LOG.debug("closing the standby consumer: {}", ex.toString());
        }
    }

    /** Stops the thread within about {@value #JOIN_TIMEOUT_MS} ms; idempotent. */
    @Override
    public void close()
    {
        running = false;
        final KafkaConsumer<byte[], byte[]> reader = consumer;
        if (null != reader)
        {
            reader.wakeup();
        }
        if (Thread.currentThread() == thread || !thread.isAlive())
        {
            return;
        }
        try
        {
            thread.join(JOIN_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            LOG.warn("{} did not stop within {} ms; leaving it behind (a daemon thread)", THREAD_NAME,
                JOIN_TIMEOUT_MS);
        }
    }
}
