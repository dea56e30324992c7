package dev.ringflow.engine;

/**
 * The parts an input's latency is measured in, from the poll that fetched it to its outputs' hand-off to the sink.
 * <pre>
 *  poll returns --RING--> worker starts --PROCESS--> stages done --SINK--> outputs handed to the sink
 *  |<----------------------------------- END_TO_END ---------------------------------------->|
 * </pre>
 * The pipeline's tasks run fused in one worker and are timed together as {@link #PROCESS}: timing each task would
 * cost two clock reads per task per event.
 */
public enum LatencyStage
{
    /** From the poll that fetched the input to the sink's acceptance of its last output. */
    END_TO_END("end_to_end"),
    /** Waiting in the ring (and, while the ring was full, in the source's held batch) until a worker takes it. */
    RING("ring"),
    /** The pipeline's tasks: decode, transforms, filters, windows, features, routing, output formatting. */
    PROCESS("process"),
    /** Waiting for the journal to hold the input, then handing its outputs to the sink (Kafka producer). */
    SINK("sink");

    private final String label;

    LatencyStage(final String label)
    {
        this.label = label;
    }

    /** The stage's name in metrics: a Prometheus label value. */
    public String label()
    {
        return label;
    }
}
