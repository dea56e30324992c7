package dev.ringflow.engine.expr;

import dev.ringflow.engine.expr.NaiveExpression.Type;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random well-typed expressions, rendered as text and compiled, give on random events the same value or the same
 * failure as {@link NaiveExpression}'s model of them. Re-run a seed with {@code -Dringflow.seed=...}.
 */
class ExpressionOracleTest
{
    private static final int EXPRESSIONS = 4_000;
    private static final int EVENTS = 64;
    private static final String[] ROOT_FIELDS = { "a", "b", "c", "s", "t", "flag", "min", "odd-name", "Upper_1", "m" };
    private static final String[] PATHS = { "a", "b", "c", "s", "t", "flag", "min", "odd-name", "Upper_1", "m.x", "m.y" };
    private static final String[] NUMBER_LITERALS = {
        "0", "-0", "1", "2", "3", "7", "-1", "-2.5", "0.5", ".5", "3.", "1000", "1e3", "2.5e-1", "1e-3", "1e300", "0.1" };
    private static final double[] NUMBERS = {
        0.0, -0.0, 1, 2, 3, -1, 0.5, 0.1, 1000, 1e300, -1e300, 4.9e-324, Double.NaN, Double.POSITIVE_INFINITY };
    private static final String[] STRINGS = {
        "", "a", "ab", "abc", "A", "FR", "fr", "x", "É", "école", "ÉCOLE", "İ", "ΣΑΣ", "Straße", "12", "\u023A",
        "😀", "it's \"q\" \\" };

    private final EvalContext context = new EvalContext();

    @Test
    void shouldEvaluateRandomExpressionsLikeTheNaiveModel()
    {
        final long seed = Long.getLong("ringflow.seed", System.nanoTime());
        System.out.println("seed " + seed);
        final Random random = new Random(seed);
        final MapFieldResolver resolver = new MapFieldResolver();
        for (final String path : PATHS)
        {
            resolver.fieldId(path);
        }
        final List<Map<String, Object>> events = new ArrayList<>();
        final List<MapFieldValues> values = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++)
        {
            events.add(event(random));
            values.add(MapFieldValues.of(resolver, events.get(i)));
        }
        int failures = 0;
        int evaluations = 0;
        for (int i = 0; i < EXPRESSIONS; i++)
        {
            final Type type = Type.values()[random.nextInt(3)];
            final NaiveExpression model = generate(type, 1 + random.nextInt(5), random);
            final String text = model.render(random);
            final Expression expression = !model.typed() || random.nextBoolean() ?
                Expression.compile(text, resolver, FieldType.valueOf(type.name())) : Expression.compile(text, resolver);
            assertThat(expression.type()).as("seed %d: %s", seed, text).isEqualTo(FieldType.valueOf(type.name()));
            for (int e = 0; e < EVENTS; e++)
            {
                failures += check(seed, model, text, expression, events.get(e), values.get(e)) ? 0 : 1;
                evaluations++;
            }
        }
        System.out.println(evaluations + " evaluations, " + failures + " failed");
        assertThat(failures).as("a generator that tests both outcomes").isBetween(evaluations / 10, evaluations * 9 / 10);
    }

    /**
     * @return true if the evaluation succeeded.
     */
    private boolean check(final long seed, final NaiveExpression model, final String text, final Expression expression,
        final Map<String, Object> event, final FieldValues values)
    {
        Object expected;
        String expectedFailure = null;
        try
        {
            expected = model.evalTop(event);
        }
        catch (final NaiveExpression.Failure failure)
        {
            expected = null;
            expectedFailure = failure.getMessage();
        }
        final Object actual;
        switch (model.type)
        {
            case NUMBER:
                actual = expression.evalNumber(values, context);
                break;
            case BOOLEAN:
                actual = expression.evalBoolean(values, context);
                break;
            default:
                expression.evalString(values, context);
                actual = context.stringValue();
                break;
        }
        final String where = "seed " + seed + ": " + text + " on " + event;
        if (null != expectedFailure)
        {
            assertThat(context.failure()).as(where).isEqualTo(expectedFailure);
            return false;
        }
        if (context.failed())
        {
            fail(where + ": failed with '" + context.failure() + "' instead of giving " + expected);
        }
        if (expected instanceof Double)
        {
            assertThat(Double.doubleToLongBits((Double)actual)).as(where + ": " + actual + " vs " + expected)
                .isEqualTo(Double.doubleToLongBits((Double)expected));
        }
        else
        {
            assertThat(actual).as(where).isEqualTo(expected);
        }
        return true;
    }

    private static NaiveExpression generate(final Type type, final int depth, final Random random)
    {
        switch (type)
        {
            case NUMBER: return number(depth, random);
            case BOOLEAN: return bool(depth, random);
            default: return string(depth, random);
        }
    }

    private static NaiveExpression number(final int depth, final Random random)
    {
        final int choice = depth <= 0 ? random.nextInt(2) : random.nextInt(9);
        switch (choice)
        {
            case 0: return NaiveExpression.Literal.number(pick(NUMBER_LITERALS, random));
            case 1: return field(Type.NUMBER, random);
            case 2: return new NaiveOperators.Negate(number(depth - 1, random));
            case 3: case 4:
                return new NaiveOperators.Binary(pick(new String[]{ "+", "-", "*", "/", "%" }, random),
                    number(depth - 1, random), number(depth - 1, random));
            case 5:
                return call(Type.NUMBER, pick(new String[]{ "abs", "log", "exp", "sqrt" }, random),
                    number(depth - 1, random));
            case 6:
                final NaiveExpression[] arguments = new NaiveExpression[2 + random.nextInt(3)];
                for (int i = 0; i < arguments.length; i++)
                {
                    arguments[i] = number(depth - 1, random);
                }
                return call(Type.NUMBER, random.nextBoolean() ? "min" : "max", arguments);
            default:
                return conditional(Type.NUMBER, depth, random);
        }
    }

    private static NaiveExpression bool(final int depth, final Random random)
    {
        final int choice = depth <= 0 ? random.nextInt(3) : random.nextInt(13);
        switch (choice)
        {
            case 0: return NaiveExpression.Literal.bool(random.nextBoolean());
            case 1: return field(Type.BOOLEAN, random);
            case 2: return new NaiveOperators.IsNull((NaiveExpression.Field)field(Type.NUMBER, random), random.nextBoolean());
            case 3: case 4:
                return new NaiveOperators.Binary(random.nextBoolean() ? "and" : "or", bool(depth - 1, random),
                    bool(depth - 1, random));
            case 5: return new NaiveOperators.Not(bool(depth - 1, random));
            case 6: case 7:
                return new NaiveOperators.Binary(pick(new String[]{ "<", "<=", ">", ">=", "=", "!=" }, random),
                    number(depth - 1, random), number(depth - 1, random));
            case 8: return equality(random.nextBoolean() ? Type.STRING : Type.BOOLEAN, depth, random);
            case 9: return inList(Type.values()[random.nextInt(3)], depth, random);
            case 10: return call(Type.BOOLEAN, "starts_with", string(depth - 1, random), string(depth - 1, random));
            default: return conditional(Type.BOOLEAN, depth, random);
        }
    }

    private static NaiveExpression string(final int depth, final Random random)
    {
        final int choice = depth <= 0 ? random.nextInt(2) : random.nextInt(5);
        switch (choice)
        {
            case 0: return NaiveExpression.Literal.string(pick(STRINGS, random));
            case 1: return field(Type.STRING, random);
            case 2: case 3: return call(Type.STRING, "lower", string(depth - 1, random));
            default: return conditional(Type.STRING, depth, random);
        }
    }

    /**
     * Two fields compare as numbers, so a string or boolean comparison needs a side whose type is its own.
     */
    private static NaiveExpression equality(final Type type, final int depth, final Random random)
    {
        final NaiveExpression left = generate(type, depth - 1, random);
        final NaiveExpression right = generate(type, depth - 1, random);
        final NaiveExpression typedRight = left.typed() || right.typed() ? right :
            Type.STRING == type ? NaiveExpression.Literal.string(pick(STRINGS, random)) :
            NaiveExpression.Literal.bool(random.nextBoolean());
        return new NaiveOperators.Binary(random.nextBoolean() ? "=" : "!=", left, typedRight);
    }

    private static NaiveExpression inList(final Type type, final int depth, final Random random)
    {
        final List<NaiveExpression> literals = new ArrayList<>();
        for (int i = random.nextInt(4); i >= 0; i--)
        {
            literals.add(Type.NUMBER == type ? NaiveExpression.Literal.number(pick(NUMBER_LITERALS, random)) :
                Type.STRING == type ? NaiveExpression.Literal.string(pick(STRINGS, random)) :
                NaiveExpression.Literal.bool(random.nextBoolean()));
        }
        return new NaiveOperators.InList(generate(type, depth - 1, random), random.nextBoolean(), literals);
    }

    private static NaiveExpression conditional(final Type type, final int depth, final Random random)
    {
        return call(type, "if", bool(depth - 1, random), generate(type, depth - 1, random),
            generate(type, depth - 1, random));
    }

    private static NaiveExpression call(final Type type, final String name, final NaiveExpression... arguments)
    {
        return new NaiveOperators.Call(type, name, List.of(arguments));
    }

    private static NaiveExpression field(final Type type, final Random random)
    {
        return new NaiveExpression.Field(pick(PATHS, random), type);
    }

    private static Map<String, Object> event(final Random random)
    {
        final Map<String, Object> event = new LinkedHashMap<>();
        for (final String name : ROOT_FIELDS)
        {
            final int kind = random.nextInt(20);
            if (kind < 3)
            {
                continue;
            }
            event.put(name, "m".equals(name) && kind >= 10 ? nested(random) : value(kind, random));
        }
        return event;
    }

    private static Map<String, Object> nested(final Random random)
    {
        final Map<String, Object> nested = new LinkedHashMap<>();
        for (final String name : new String[]{ "x", "y" })
        {
            final int kind = random.nextInt(20);
            if (kind >= 3)
            {
                nested.put(name, value(kind, random));
            }
        }
        return nested;
    }

    /**
     * @param kind 3 to 19: null, a number, a string, a boolean, an array or an object.
     */
    private static Object value(final int kind, final Random random)
    {
        if (kind < 5)
        {
            return null;
        }
        if (kind < 12)
        {
            return random.nextInt(3) == 0 ? random.nextGaussian() * 1000 : NUMBERS[random.nextInt(NUMBERS.length)];
        }
        if (kind < 16)
        {
            return pick(STRINGS, random);
        }
        if (kind < 18)
        {
            return random.nextBoolean();
        }
        return kind < 19 ? List.of(1, 2) : Map.of("k", 1);
    }

    private static String pick(final String[] choices, final Random random)
    {
        return choices[random.nextInt(choices.length)];
    }
}
