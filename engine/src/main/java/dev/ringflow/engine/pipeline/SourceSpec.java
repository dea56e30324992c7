package dev.ringflow.engine.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Where a pipeline reads from.
 *
 * @param topics    topics to subscribe to (at least one).
 * @param groupId   consumer group; daemons sharing it share the partitions.
 * @param startFrom where to start when the group has no committed offset.
 * @param consumer        extra consumer-only client properties.
 * @param format          how record values are read.
 * @param keyField        with JSON input: the field that keys windows instead of the record key; null for the
 *                        record key.
 * @param timestampField  with JSON input: the field holding event time in ms; null for the record timestamp.
 * @param partitionIdleMs event time after which an input partition without records stops holding back the
 *                        watermark of event-time windows (which is the slowest partition's time): once the latest
 *                        event time seen on any partition is this far past where it was at the partition's last
 *                        record. 0 (the default): a partition that has had records always holds it back.
 */
public record SourceSpec(List<String> topics, String groupId, StartFrom startFrom, Map<String, String> consumer,
    InputFormat format, String keyField, String timestampField, long partitionIdleMs)
{
    public SourceSpec
    {
        topics = List.copyOf(topics);
        consumer = Map.copyOf(consumer);
        format = null == format ? InputFormat.TEXT : format;
    }

    /** Partitions never idle. */
    public SourceSpec(final List<String> topics, final String groupId, final StartFrom startFrom,
        final Map<String, String> consumer, final InputFormat format, final String keyField,
        final String timestampField)
    {
        this(topics, groupId, startFrom, consumer, format, keyField, timestampField, 0);
    }

    /** Plain text values keyed and timed by the record. */
    public SourceSpec(final List<String> topics, final String groupId, final StartFrom startFrom,
        final Map<String, String> consumer)
    {
        this(topics, groupId, startFrom, consumer, InputFormat.TEXT, null, null);
    }

    /** Where to start reading when the consumer group has no committed offset. */
    public enum StartFrom
    {
        EARLIEST, LATEST
    }
}
