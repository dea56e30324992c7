package dev.ringflow.io.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits, after creating topics, until the cluster's metadata gives every partition of them a leader.
 * <p>
 * {@code createTopics} completes when the controller has created a topic, before every broker has applied it. A
 * producer that writes at once can have its first request refused with {@code NOT_LEADER_OR_FOLLOWER} while a later
 * one is accepted; an idempotent producer then retries the first for ever with {@code OUT_OF_ORDER_SEQUENCE_NUMBER}
 * until {@code delivery.timeout.ms} drops its records (KAFKA-15591, seen with the broker this project embeds).
 * Waiting for the leaders closes that window: a broker that reports a partition's leader has applied the partition.
 * <p>
 * <b>Note:</b> Polls {@code describeTopics} every {@value #POLL_MS} ms until the deadline; a topic the metadata does
 * not know yet counts as not ready.
 */
public final class TopicLeaders
{
    static final long POLL_MS = 20;

    private TopicLeaders()
    {
    }

    /**
     * @throws TimeoutException when a partition still has no leader after {@code timeoutMs}; the message names it.
     * @throws ExecutionException when describing the topics fails otherwise (e.g. not authorised).
     */
    public static void await(final Admin admin, final Collection<String> topics, final long timeoutMs)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        if (topics.isEmpty())
        {
            return;
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()));
            final String waitingFor = withoutLeader(admin, topics, remainingMs);
            if (null == waitingFor)
            {
                return;
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new TimeoutException("no leader for " + waitingFor + " " + timeoutMs + " ms after creating it");
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** The first partition (or topic) without a leader, or null when all have one. */
    private static String withoutLeader(final Admin admin, final Collection<String> topics, final long timeoutMs)
        throws InterruptedException, ExecutionException
    {
        final Map<String, TopicDescription> descriptions;
        try
        {
            descriptions = admin.describeTopics(topics).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof UnknownTopicOrPartitionException)
            {
                return "a topic of " + topics;
            }
            throw ex;
        }
        catch (final TimeoutException ex)
        {
            return "the topics " + topics + " (no answer from the cluster)";
        }
        for (final TopicDescription description : descriptions.values())
        {
            for (final TopicPartitionInfo partition : description.partitions())
            {
                if (null == partition.leader() || partition.leader().isEmpty())
                {
                    return description.name() + "-" + partition.partition();
                }
            }
        }
        return null;
    }
}
