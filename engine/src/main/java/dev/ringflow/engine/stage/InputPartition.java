package dev.ringflow.engine.stage;

/**
 * The source partition (topic and partition number) of the slot a processor is working on, for the stages that
 * track event time per partition. A tick or marker has none: topic null, partition -1.
 * <p>
 * <b>Note:</b> One per {@link PipelineProcessor}, set by it before the stages run; its worker's thread only.
 */
final class InputPartition
{
    String topic;
    int partition = -1;

    void set(final String topic, final int partition)
    {
        this.topic = topic;
        this.partition = partition;
    }
}
