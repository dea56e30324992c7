package dev.ringflow.engine.expr;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;

import static dev.ringflow.engine.expr.MapFieldValues.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluating compiled expressions allocates nothing once their buffers have grown: not for numbers, comparisons,
 * string functions and string results, and not when an evaluation fails.
 */
class ExpressionAllocationTest
{
    private static final int EVALUATIONS = 1_000_000;
    private static final int EVENTS = 16;

    private final MapFieldResolver resolver = new MapFieldResolver().declare("s", FieldType.STRING);
    private final EvalContext context = new EvalContext();

    @Test
    void shouldNotAllocateWhenEvaluatingInSteadyState()
    {
        final Expression where = Expression.compile("amount * fx > 1000 and country != 'FR'", resolver);
        final Expression prefix = Expression.compile("starts_with(lower(name), 'ab') or s = t", resolver);
        final Expression lower = Expression.compile("lower(country)", resolver);
        final Expression pick = Expression.compile("if(amount > 500, lower(name), country)", resolver);
        final Expression number = Expression.compile("min(amount, fx, 3) + abs(amount) / fx", resolver);
        final Expression list = Expression.compile("country not in ['FR', 'DE'] and amount in [1, 2, 3]", resolver);
        final Expression[] expressions = { where, prefix, lower, pick, number, list };
        final FieldValues[] events = new FieldValues[EVENTS];
        for (int i = 0; i < EVENTS; i++)
        {
            events[i] = MapFieldValues.of(resolver, event(i));
        }
        // Warm-up: every buffer grown to its working size, every path compiled.
        final long warmUpSuccesses = evaluate(expressions, events, 2 * EVALUATIONS);

        final long[] successes = new long[1];
        final long allocated = allocatedBytes(() -> successes[0] = evaluate(expressions, events, EVALUATIONS));

        assertThat(allocated).isZero();
        assertThat(successes[0]).isEqualTo(warmUpSuccesses / 2).isBetween(1L, EVALUATIONS * 5L);
    }

    /**
     * @return how many evaluations succeeded.
     */
    private long evaluate(final Expression[] expressions, final FieldValues[] events, final int evaluations)
    {
        final EvalContext context = this.context;
        long successes = 0;
        for (int i = 0; i < evaluations; i++)
        {
            final FieldValues event = events[i & (EVENTS - 1)];
            for (final Expression expression : expressions)
            {
                switch (expression.type())
                {
                    case NUMBER:
                        expression.evalNumber(event, context);
                        break;
                    case BOOLEAN:
                        expression.evalBoolean(event, context);
                        break;
                    default:
                        expression.evalString(event, context);
                        break;
                }
                successes += context.failed() ? 0 : 1;
            }
        }
        return successes;
    }

    /**
     * Mostly well-formed events, some with a field missing, null or of another kind.
     */
    private static Map<String, Object> event(final int i)
    {
        final Map<String, Object> event = MapFieldValues.event("amount", 100.0 * i, "fx", 1.0 + i % 3,
            "country", new String[]{ "FR", "DE", "ÉIRE", "Österreich" }[i % 4], "name", "ABC-" + "X".repeat(i * 7),
            "s", "same", "t", i % 2 == 0 ? "same" : "other");
        switch (i % 8)
        {
            case 5: event.remove("amount"); break;
            case 6: event.put("fx", null); break;
            case 7: event.put("country", 44); break;
            default: break;
        }
        return event;
    }

    /** Bytes this thread allocates while {@code steadyState} runs, less what measuring itself allocates. */
    private static long allocatedBytes(final Runnable steadyState)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long emptyMeasurement = threads.getThreadAllocatedBytes(threadId) - before;
        final long start = threads.getThreadAllocatedBytes(threadId);
        steadyState.run();
        return threads.getThreadAllocatedBytes(threadId) - start - emptyMeasurement;
    }
}
