package dev.ringflow.bench;

import dev.ringflow.engine.expr.EvalContext;
import dev.ringflow.engine.expr.Expression;
import dev.ringflow.engine.expr.FieldResolver;
import dev.ringflow.engine.expr.FieldType;
import dev.ringflow.engine.expr.FieldValues;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per event of the filter {@code amount * fx > 1000 and country != 'FR'} compiled by the expression
 * language, over {@value #EVENTS} fixed events read through an array-backed {@link FieldValues}, beside the same
 * condition written by hand in Java against the same events (same kind checks, same byte comparison).
 * <pre>
 * java -jar bench/target/benchmarks.jar ExpressionBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ExpressionBenchmark
{
    static final String FILTER = "amount * fx > 1000 and country != 'FR'";
    /** Events per benchmark call, so that the harness's own cost per call (a few ns) is spread over them. */
    static final int EVENTS = 16;
    private static final byte[] FR = "FR".getBytes(StandardCharsets.UTF_8);

    private final ArrayFieldValues[] events = new ArrayFieldValues[EVENTS];
    private final EvalContext context = new EvalContext();
    private Expression filter;
    private int amount;
    private int fx;
    private int country;

    @Setup(Level.Trial)
    public void setUp()
    {
        final ListFieldResolver resolver = new ListFieldResolver();
        filter = Expression.compile(FILTER, resolver, FieldType.BOOLEAN);
        amount = resolver.fieldId("amount");
        fx = resolver.fieldId("fx");
        country = resolver.fieldId("country");
        final String[] countries = { "FR", "DE", "IT", "ES", "NL", "FR", "BE", "PT" };
        for (int i = 0; i < EVENTS; i++)
        {
            final ArrayFieldValues event = new ArrayFieldValues(resolver.paths.size());
            event.number(amount, 150.0 * (i + 1));
            event.number(fx, 0.9 + (i % 4) * 0.1);
            event.string(country, countries[i % countries.length]);
            events[i] = event;
        }
        if (expression() != handWritten())
        {
            throw new IllegalStateException("the expression and the hand-written filter disagree");
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int expression()
    {
        final Expression filter = this.filter;
        final EvalContext context = this.context;
        final ArrayFieldValues[] events = this.events;
        int passed = 0;
        for (final ArrayFieldValues event : events)
        {
            if (filter.evalBoolean(event, context))
            {
                passed++;
            }
        }
        return passed;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int handWritten()
    {
        final ArrayFieldValues[] events = this.events;
        final int amount = this.amount;
        final int fx = this.fx;
        final int country = this.country;
        int passed = 0;
        for (final ArrayFieldValues event : events)
        {
            if (FieldValues.NUMBER == event.kind(amount) && FieldValues.NUMBER == event.kind(fx) &&
                event.number(amount) * event.number(fx) > 1000 && FieldValues.STRING == event.kind(country))
            {
                final int offset = event.stringOffset(country);
                if (!Arrays.equals(event.stringBytes(country), offset, offset + event.stringLength(country),
                    FR, 0, FR.length))
                {
                    passed++;
                }
            }
        }
        return passed;
    }

    /**
     * Field ids 0, 1, 2, ... in order of first request; every field is an input field.
     */
    static final class ListFieldResolver implements FieldResolver
    {
        final List<String> paths = new ArrayList<>();

        @Override
        public int fieldId(final String path)
        {
            if (!paths.contains(path))
            {
                paths.add(path);
            }
            return paths.indexOf(path);
        }

        @Override
        public FieldType fieldType(final String path)
        {
            return FieldType.UNKNOWN;
        }
    }

    /**
     * An event as arrays indexed by field id, the way a decoded record would hold it.
     */
    static final class ArrayFieldValues implements FieldValues
    {
        private final int[] kinds;
        private final double[] numbers;
        private final byte[][] strings;

        ArrayFieldValues(final int fieldCount)
        {
            kinds = new int[fieldCount];
            numbers = new double[fieldCount];
            strings = new byte[fieldCount][];
        }

        void number(final int field, final double value)
        {
            kinds[field] = NUMBER;
            numbers[field] = value;
        }

        void string(final int field, final String value)
        {
            kinds[field] = STRING;
            strings[field] = value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int kind(final int field)
        {
            return kinds[field];
        }

        @Override
        public double number(final int field)
        {
            return numbers[field];
        }

        @Override
        public boolean bool(final int field)
        {
            return false;
        }

        @Override
        public byte[] stringBytes(final int field)
        {
            return strings[field];
        }

        @Override
        public int stringOffset(final int field)
        {
            return 0;
        }

        @Override
        public int stringLength(final int field)
        {
            return strings[field].length;
        }
    }
}
