package dev.ringflow.engine.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Where a pipeline reads from.
 *
 * @param topics    topics to subscribe to (at least one).
 * @param groupId   consumer group; daemons sharing it share the partitions.
 * @param startFrom where to start when the group has no committed offset.
 * @param consumer  extra consumer-only client properties.
 */
public record SourceSpec(List<String> topics, String groupId, StartFrom startFrom, Map<String, String> consumer)
{
    public SourceSpec
    {
        topics = List.copyOf(topics);
        consumer = Map.copyOf(consumer);
    }

    /** Where to start reading when the consumer group has no committed offset. */
    public enum StartFrom
    {
        EARLIEST, LATEST
    }
}
