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
 */
public record SinkSpec(String topic, String deadLetterTopic, String lateTopic, boolean createTopics,
    Map<String, String> producer)
{
    public SinkSpec
    {
        producer = Map.copyOf(producer);
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
