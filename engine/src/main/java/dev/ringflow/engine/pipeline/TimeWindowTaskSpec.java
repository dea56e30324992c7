package dev.ringflow.engine.pipeline;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;

import java.util.List;

/**
 * Per-key event-time windows {@code [start, start + size)} starting every {@code advance} (tumbling when
 * {@code advance == size}), closed by a watermark that trails the largest event time seen by
 * {@code outOfOrderness}. A window emits once, when the watermark passes its end plus {@code allowedLateness};
 * an element whose every window has closed goes to the sink's late topic. Event time is the record timestamp,
 * or the source's {@code timestamp-field} with JSON input.
 *
 * @param sizeMs            window length.
 * @param advanceMs         distance between window starts, from 1 to {@code sizeMs}.
 * @param outOfOrdernessMs  how far the watermark trails the largest event time.
 * @param allowedLatenessMs how long after the watermark passes its end a window still takes elements.
 * @param aggregations      what to compute.
 * @param valueKind         how values parse.
 * @param valueFields  with JSON input, the number fields to aggregate (each gets every aggregation); empty
 *                     for text input, where the whole value is the number.
 * @param output            JSON (the default: key, start, end, count, aggregates) or the aggregate as text.
 * @param earlyResultsMs    when positive, open windows also emit partial results ({@code "final":false}) each
 *                          time the watermark passes another interval after their start; JSON output only.
 */
public record TimeWindowTaskSpec(long sizeMs, long advanceMs, long outOfOrdernessMs, long allowedLatenessMs,
    List<Aggregation> aggregations, ValueKind valueKind, List<String> valueFields, OutputFormat output,
    long earlyResultsMs) implements TaskSpec
{
    public static final String TYPE = "time-window";

    public TimeWindowTaskSpec
    {
        aggregations = null == aggregations ? List.of() : List.copyOf(aggregations);
        valueFields = null == valueFields ? List.of() : List.copyOf(valueFields);
    }

    /** Windows without early results. */
    public TimeWindowTaskSpec(final long sizeMs, final long advanceMs, final long outOfOrdernessMs,
        final long allowedLatenessMs, final List<Aggregation> aggregations, final ValueKind valueKind,
        final List<String> valueFields, final OutputFormat output)
    {
        this(sizeMs, advanceMs, outOfOrdernessMs, allowedLatenessMs, aggregations, valueKind, valueFields, output, 0);
    }

    @Override
    public String type()
    {
        return TYPE;
    }
}
