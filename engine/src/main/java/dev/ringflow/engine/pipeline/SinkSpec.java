package dev.ringflow.engine.pipeline;

import java.util.Map;

/**
 * Where a pipeline writes.
 *
 * @param topic           the output topic.
 * @param deadLetterTopic where bad input goes, with the reason in a header; null for none (bad input is then
 *                        only counted and logged).
 * @param lateTopic       where elements later than a time window's allowed lateness go; null for none (they
 *                        are then only counted).
 * @param createTopics    create missing output topics at start, with the source topic's partition count.
 * @param producer        extra producer-only client properties.
 * @param delivery        what a crash may do to the output.
 */
public record SinkSpec(String topic, String deadLetterTopic, String lateTopic, boolean createTopics,
    Map<String, String> producer, Delivery delivery)
{
    /** What the output holds across a crash of the daemon. */
    public enum Delivery
    {
        /**
         * Every output exactly once, as a {@code read_committed} consumer sees it: output and input offsets are
         * committed together in Kafka transactions, and after a crash the outputs of journaled input whose
         * transaction did not commit are produced again from the journal. Needs the journal.
         */
        EXACTLY_ONCE,
        /** Every output at least once: input is acknowledged after its output is durable; a crash may repeat some. */
        AT_LEAST_ONCE
    }

    public SinkSpec
    {
        producer = Map.copyOf(producer);
    }

    public SinkSpec withDelivery(final Delivery delivery)
    {
        return new SinkSpec(topic, deadLetterTopic, lateTopic, createTopics, producer, delivery);
    }

    public boolean isExactlyOnce()
    {
        return delivery == Delivery.EXACTLY_ONCE;
    }

    public boolean hasDeadLetterTopic()
    {
        return null != deadLetterTopic;
    }

    public boolean hasLateTopic()
    {
        return null != lateTopic;
    }
}
