package dev.ringflow.engine.pipeline;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;

import java.util.List;

/**
 * Per-key event-time session windows: elements less than {@code gapMs} apart form one session
 * {@code [first time, last time + gap)}, and an element that bridges two sessions merges them. A session emits
 * once, when the watermark (largest event time minus {@code outOfOrdernessMs}) passes its end plus
 * {@code allowedLatenessMs}; a later element goes to the sink's late topic.
 *
 * @param gapMs             the inactivity that ends a session.
 * @param outOfOrdernessMs  how far the watermark trails the largest event time.
 * @param allowedLatenessMs how long after the watermark passes its end a session still takes elements.
 * @param aggregations      what to compute.
 * @param valueKind         how values parse.
 * @param valueFields       with JSON input, the number fields to aggregate; empty for text input.
 * @param output            JSON (the default: key, start, end, count, aggregates) or the aggregate as text.
 * @param earlyResultsMs    when positive, open sessions also emit partial results ({@code "final":false}) each
 *                          time the watermark passes another interval after their start; JSON output only.
 */
public record SessionWindowTaskSpec(long gapMs, long outOfOrdernessMs, long allowedLatenessMs,
    List<Aggregation> aggregations, ValueKind valueKind, List<String> valueFields, OutputFormat output,
    long earlyResultsMs) implements TaskSpec
{
    public static final String TYPE = "session-window";

    public SessionWindowTaskSpec
    {
        aggregations = null == aggregations ? List.of() : List.copyOf(aggregations);
        valueFields = null == valueFields ? List.of() : List.copyOf(valueFields);
    }

    /** Sessions without early results. */
    public SessionWindowTaskSpec(final long gapMs, final long outOfOrdernessMs, final long allowedLatenessMs,
        final List<Aggregation> aggregations, final ValueKind valueKind, final List<String> valueFields,
        final OutputFormat output)
    {
        this(gapMs, outOfOrdernessMs, allowedLatenessMs, aggregations, valueKind, valueFields, output, 0);
    }

    @Override
    public String type()
    {
        return TYPE;
    }
}
