package dev.ringflow.io.kafka;

import dev.ringflow.engine.SinkException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Partition-scoped state in Kafka: how a daemon hands an input partition's state to the partition's next owner,
 * with Kafka as the only shared system.
 * <p>
 * The workers publish a partition's state ({@code state.publish-interval-ms}, and when the partition is given up)
 * into the open transaction, as {@link StateChunks} records on a compacted topic. The commit that follows carries,
 * in the committed offset's metadata of that input partition, where the state is and which input it covers:
 * {@code ringflow-state=<covered offset>@<state partition>:<first offset>:<last offset>:<id>}, or just
 * {@code ringflow-state=<covered offset>} for a partition whose state is empty there. The state, the outputs and
 * the offsets commit together or not at all.
 * <p>
 * A daemon that is assigned the partition reads that metadata, loads the state records (read committed), takes
 * the partition over with them from the covered offset, and processes the input from there to the committed
 * offset again without emitting it (its outputs were committed by the previous owner). With
 * {@code state.standby-replicas: 1} a {@link StandbyReplica} keeps the latest state of the partitions this daemon
 * does not own in memory, and a take-over whose pointer names exactly the state it holds uses it instead.
 * <p>
 * <b>Note:</b> {@link #send} runs on the workers, {@link #resolvePending} and {@link #metadataSuffix} on the
 * committing worker, {@link #restore} and {@link #forget} on the source thread.
 */
final class StateTopic implements AutoCloseable
{
    static final String PREFIX = "ringflow-state=";
    private static final Logger LOG = LoggerFactory.getLogger(StateTopic.class);

    private final String topic;
    private final long restoreTimeoutMs;
    /** The pointer each owned input partition's next commit carries: see the class comment. */
    private final Map<TopicPartition, String> pointers = new ConcurrentHashMap<>();
    /** State sent into the open transaction, by input partition. */
    private final Map<TopicPartition, Pending> pending = new ConcurrentHashMap<>();
    /** Chunks of each input partition's last published state: the keys of fewer chunks are deleted. */
    private final Map<TopicPartition, Integer> chunkCounts = new ConcurrentHashMap<>();
    private volatile int statePartitions;
    /** Null without {@code state.standby-replicas}. */
    private final StandbyReplica standby;
    private final StateReader reader;
    /** Null without a journal. */
    private final LocalStateCopies local;
    private long restoredRecords;
    private long restoredNs;

    /**
     * @param consumerProperties the source consumer's: the state is read with its servers and security, without
     *                           a group.
     */
    StateTopic(final String topic, final Properties consumerProperties, final long restoreTimeoutMs)
    {
        this(topic, consumerProperties, restoreTimeoutMs, 0, null);
    }

    /**
     * @param standbyReplicas 1 to keep a {@link StandbyReplica} of the partitions not owned (started by
     *                        {@link #startStandby}), 0 for none.
     * @param journalDir      the daemon's journal folder, where {@link LocalStateCopies} keeps a copy of every
     *                        state it publishes for its own restarts; null without a journal.
     */
    StateTopic(final String topic, final Properties consumerProperties, final long restoreTimeoutMs,
        final int standbyReplicas, final Path journalDir)
    {
        this.topic = topic;
        this.local = null == journalDir ? null : new LocalStateCopies(journalDir);
        this.restoreTimeoutMs = restoreTimeoutMs;
        final Properties restoreProperties = new Properties();
        restoreProperties.putAll(consumerProperties);
        restoreProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        restoreProperties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        restoreProperties.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        restoreProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        restoreProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Never read from elsewhere than where the pointer says.
        restoreProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        restoreProperties.put(ConsumerConfig.CLIENT_ID_CONFIG,
            consumerProperties.getProperty(ConsumerConfig.CLIENT_ID_CONFIG, "ringflow") + "-state");
        reader = new StateReader(topic, restoreProperties, restoreTimeoutMs);
        standby = standbyReplicas > 0 ? new StandbyReplica(topic, restoreProperties) : null;
    }

    /** Starts the standby's thread, if any: once the source that closes this exists. */
    void startStandby()
    {
        if (null != standby)
        {
            standby.start();
        }
    }

    /** The journal's copies of the states this daemon publishes, or null without a journal. */
    LocalStateCopies localCopies()
    {
        return local;
    }

    /** The standby replica, or null. */
    StandbyReplica standby()
    {
        return standby;
    }

    /**
     * @throws SinkException when the standby's thread died: the daemon stops, as it does when any of its threads
     *                       dies, rather than go on with take-overs that silently read the topic.
     */
    void checkStandby()
    {
        final Throwable failure = null == standby ? null : standby.failure();
        if (null != failure)
        {
            throw new SinkException("thread " + StandbyReplica.THREAD_NAME + " died: " + failure, failure);
        }
    }

    String topic()
    {
        return topic;
    }

    /**
     * Sends {@code state} of input partition {@code input} into the producer's open transaction.
     *
     * @param onSent the sink's completion callback, which fails the sink on a failed send.
     */
    void send(final Producer<byte[], byte[]> producer, final TopicPartition input, final long coveredOffset,
        final byte[] state, final Callback onSent)
    {
        final int statePartition = statePartition(producer, input);
        final String id = UUID.randomUUID().toString();
        final int chunks = StateChunks.count(state.length);
        final List<Future<RecordMetadata>> futures = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++)
        {
            final byte[] value = Arrays.copyOfRange(state, i * StateChunks.CHUNK_BYTES, Math.min(state.length,
                (i + 1) * StateChunks.CHUNK_BYTES));
            futures.add(producer.send(new ProducerRecord<>(topic, statePartition, StateChunks.key(input, i), value,
                StateChunks.headers(id, i, chunks)), onSent));
        }
        final Integer before = chunkCounts.put(input, chunks);
        for (int i = chunks; null != before && i < before; i++)
        {
            // The compacted topic would keep an older state's extra chunks forever.
            producer.send(new ProducerRecord<>(topic, statePartition, StateChunks.key(input, i), null), onSent);
        }
        pending.put(input, new Pending(coveredOffset, statePartition, id, futures));
        if (null != local)
        {
            local.keep(input, id, coveredOffset, state);
        }
    }

    boolean hasPending()
    {
        return !pending.isEmpty();
    }

    /**
     * Once the producer has flushed: the state sent into the open transaction becomes what its commit points to.
     *
     * @return the input partitions whose state this transaction now holds: their offsets must be committed with
     * it, so that the committed metadata points to the state, whose older records compaction may remove.
     * @throws SinkException when a send failed.
     */
    List<TopicPartition> resolvePending()
    {
        final List<TopicPartition> resolved = new ArrayList<>();
        for (final Map.Entry<TopicPartition, Pending> entry : pending.entrySet())
        {
            final Pending sent = entry.getValue();
            try
            {
                final long first = sent.futures.get(0).get().offset();
                final long last = sent.futures.get(sent.futures.size() - 1).get().offset();
                pointers.put(entry.getKey(), PREFIX + sent.coveredOffset + "@" + sent.statePartition + ":" + first +
                    ":" + last + ":" + sent.id);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new SinkException("interrupted while publishing partition state", ex);
            }
            catch (final ExecutionException ex)
            {
                throw new SinkException("cannot publish the state of " + entry.getKey() + " to topic '" + topic +
                    "': " + ex.getCause(), ex.getCause());
            }
            pending.remove(entry.getKey(), sent);
            resolved.add(entry.getKey());
        }
        return resolved;
    }

    /** What the committed offset of {@code input} carries after the journal's part: {@code ;ringflow-state=...}. */
    String metadataSuffix(final TopicPartition input)
    {
        final String pointer = pointers.get(input);
        return null == pointer ? "" : ";" + pointer;
    }

    /**
     * What a newly assigned partition starts from: the state its committed offset's metadata points to, read from
     * the state topic.
     *
     * @param committed   the partition's committed offset and metadata; null when the group never committed it.
     * @param startOffset where its consumption starts without a committed offset (the reset policy's).
     * @param deadlineNs  when the take-over must be done: {@link #takeOverDeadlineNs} of the assignment's start,
     *                    shared by all its partitions.
     * @throws SinkException when the state the metadata points to cannot be read whole by the deadline (the
     *                       partition must not go on with part of its state).
     */
    Restored restore(final TopicPartition input, final OffsetAndMetadata committed, final long startOffset,
        final long deadlineNs)
    {
        try
        {
            return restoreFrom(input, committed, startOffset, deadlineNs);
        }
        finally
        {
            if (null != standby)
            {
                standby.own(input);
            }
        }
    }

    /**
     * The deadline of a take-over that starts now: {@code state.restore-timeout-ms} for all the partitions of one
     * assignment, which the validation keeps below {@code max.poll.interval.ms} (it runs in the rebalance callback).
     */
    long takeOverDeadlineNs()
    {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(restoreTimeoutMs);
    }

    private Restored restoreFrom(final TopicPartition input, final OffsetAndMetadata committed,
        final long startOffset, final long deadlineNs)
    {
        if (null == committed)
        {
            pointers.put(input, PREFIX + startOffset);
            return new Restored(startOffset, null, "no committed offset: empty state", From.NONE);
        }
        final String metadata = null == committed.metadata() ? "" : committed.metadata();
        final int at = metadata.indexOf(PREFIX);
        if (at < 0)
        {
            LOG.warn("{} resumes at committed offset {} with empty state: its commit carries no published state " +
                "(it was committed with state.scope: key, or by another program)", input, committed.offset());
            pointers.put(input, PREFIX + committed.offset());
            return new Restored(committed.offset(), null, "committed without state: empty state", From.NONE);
        }
        final int end = metadata.indexOf(';', at);
        final String pointer = metadata.substring(at, end < 0 ? metadata.length() : end);
        final Pointer parsed = Pointer.parse(pointer.substring(PREFIX.length()));
        if (null == parsed)
        {
            throw new SinkException("the committed offset of " + input + " carries state metadata this Ringflow " +
                "cannot read: '" + pointer + "'", null);
        }
        pointers.put(input, pointer);
        if (parsed.id == null)
        {
            return new Restored(parsed.coveredOffset, null, "empty state at offset " + parsed.coveredOffset,
                From.NONE);
        }
        final long startNs = System.nanoTime();
        final String origin = topic + "-" + parsed.statePartition + "@" + parsed.firstOffset;
        // This daemon's own last publish first: a restart of the same daemon reads its journal's copy.
        if (null != local)
        {
            // A copy asked for by this daemon's own give-up of the partition may still be on its way to disk.
            local.awaitWrites(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()) / 2));
        }
        final byte[] own = null == local ? null : local.take(input, parsed);
        if (null != own)
        {
            LOG.info("{}: took over {} bytes of state covering offsets before {} from the journal's copy of {} in {} " +
                "ms", input, own.length, parsed.coveredOffset, origin,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
            return new Restored(parsed.coveredOffset, own, "journal copy of " + origin, From.LOCAL);
        }
        final byte[] warm = null == standby ? null : standby.take(input, parsed, deadlineNs);
        final byte[] state = null != warm ? warm : reader.read(input, parsed, deadlineNs);
        final long tookNs = System.nanoTime() - startNs;
        if (null != warm)
        {
            LOG.info("{}: took over {} bytes of state covering offsets before {} from the standby copy of {} in {} ms",
                input, state.length, parsed.coveredOffset, origin, TimeUnit.NANOSECONDS.toMillis(tookNs));
            return new Restored(parsed.coveredOffset, state, "standby copy of " + origin, From.STANDBY);
        }
        restoredRecords += parsed.lastOffset - parsed.firstOffset + 1;
        restoredNs += tookNs;
        LOG.info("{}: took over {} bytes of state covering offsets before {} from {}-{} in {} ms{}", input,
            state.length, parsed.coveredOffset, topic, parsed.statePartition, TimeUnit.NANOSECONDS.toMillis(tookNs),
            null == standby ? "" : " (the standby copy did not hold it)");
        return new Restored(parsed.coveredOffset, state, origin, From.TOPIC);
    }

    /** State records read by {@link #restore} so far, and the time it took: the restore rate. */
    long restoredRecords()
    {
        return restoredRecords;
    }

    long restoredNs()
    {
        return restoredNs;
    }

    /**
     * Before the partitions' last state is committed for their next owner: the standby keeps it again, for when
     * they come back.
     */
    void release(final Collection<TopicPartition> inputs)
    {
        if (null != standby)
        {
            standby.release(inputs);
        }
    }

    /** After the partitions were given up and their last state committed: their next commits are another's. */
    void forget(final Collection<TopicPartition> inputs)
    {
        for (final TopicPartition input : inputs)
        {
            pointers.remove(input);
            chunkCounts.remove(input);
        }
    }

    private int statePartition(final Producer<byte[], byte[]> producer, final TopicPartition input)
    {
        int count = statePartitions;
        if (count <= 0)
        {
            count = producer.partitionsFor(topic).size();
            statePartitions = count;
        }
        return Utils.toPositive(Utils.murmur2(StateChunks.utf8(input.topic() + "/" + input.partition()))) % count;
    }

    @Override
    public void close()
    {
        if (null != standby)
        {
            standby.close();
        }
        if (null != local)
        {
            // The last publish (a clean stop's) is the one the restart takes over from.
            local.close(TimeUnit.SECONDS.toMillis(30));
        }
        reader.close();
    }

    /** Where a take-over's state came from. */
    enum From
    {
        /** Empty state: nothing was read. */
        NONE,
        /** Read from the state topic. */
        TOPIC,
        /** The {@link StandbyReplica}'s warm copy. */
        STANDBY,
        /** This daemon's own copy of its last publish ({@link LocalStateCopies}). */
        LOCAL
    }

    /** What a newly assigned partition starts from, and where its state came from. */
    record Restored(long coveredOffset, byte[] state, String origin, From from)
    {
    }

    /** State sent into the open transaction for one input partition. */
    private record Pending(long coveredOffset, int statePartition, String id, List<Future<RecordMetadata>> futures)
    {
    }

    /** A parsed {@code ringflow-state} value; {@code id} null for empty state. */
    record Pointer(long coveredOffset, int statePartition, long firstOffset, long lastOffset, String id)
    {
        static Pointer parse(final String text)
        {
            try
            {
                final int at = text.indexOf('@');
                if (at < 0)
                {
                    return new Pointer(Long.parseLong(text), -1, -1, -1, null);
                }
                final String[] parts = text.substring(at + 1).split(":", 4);
                if (parts.length != 4 || parts[3].isEmpty())
                {
                    return null;
                }
                return new Pointer(Long.parseLong(text.substring(0, at)), Integer.parseInt(parts[0]),
                    Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts[3]);
            }
            catch (final NumberFormatException ex)
            {
                return null;
            }
        }
    }
}
