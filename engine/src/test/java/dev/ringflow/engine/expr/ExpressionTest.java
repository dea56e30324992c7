package dev.ringflow.engine.expr;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ringflow.engine.expr.MapFieldValues.event;
import static org.assertj.core.api.Assertions.assertThat;

class ExpressionTest
{
    private final MapFieldResolver resolver = new MapFieldResolver().declare("s", FieldType.STRING);
    private final EvalContext context = new EvalContext();

    @Test
    void shouldFilterLikeTheExampleInTheDocs()
    {
        final Expression where = compile("amount * fx > 1000 and country != 'FR'");

        assertThat(where.type()).isEqualTo(FieldType.BOOLEAN);
        assertThat(bool(where, event("amount", 900, "fx", 1.2, "country", "DE"))).isTrue();
        assertThat(bool(where, event("amount", 900, "fx", 1.1, "country", "DE"))).isFalse();
        assertThat(bool(where, event("amount", 900, "fx", 1.2, "country", "FR"))).isFalse();
        assertThat(context.failed()).isFalse();
        assertThat(context.failure()).isNull();
    }

    @Test
    void shouldFailWithTheReasonWhenAFieldIsMissingNullOrOfAnotherKind()
    {
        final Expression amount = compile("amount * 2");

        assertFailure(() -> amount.evalNumber(values(event()), context), "field 'amount' is missing");
        assertFailure(() -> amount.evalNumber(values(event("amount", null)), context), "field 'amount' is null");
        assertFailure(() -> amount.evalNumber(values(event("amount", "12")), context), "field 'amount' is not a number");
        assertFailure(() -> amount.evalNumber(values(event("amount", List.of(1))), context),
            "field 'amount' is not a number");
        assertFailure(() -> compile("lower(country)").evalString(values(event("country", 33)), context),
            "field 'country' is not a string");
        assertFailure(() -> compile("flag or x > 1", FieldType.BOOLEAN).evalBoolean(values(event("flag", 1)), context),
            "field 'flag' is not a boolean");
        assertThat(compile("flag and x > 1").evalBoolean(values(event("flag", "true")), context)).isFalse();
    }

    @Test
    void shouldFailOnANullOrMissingParentOfANestedField()
    {
        final Expression country = compile("merchant.country = 'FR'");

        assertFailure(() -> country.evalBoolean(values(event("merchant", event("country", null))), context),
            "field 'merchant.country' is null");
        assertFailure(() -> country.evalBoolean(values(event("merchant", null)), context),
            "field 'merchant.country' is missing");
        assertFailure(() -> country.evalBoolean(values(event("merchant", "FR")), context),
            "field 'merchant.country' is missing");
        assertThat(country.evalBoolean(values(event("merchant", event("country", "FR"))), context)).isTrue();
    }

    @Test
    void shouldReportTheFirstFailureInEvaluationOrder()
    {
        final Expression sum = compile("a + b * c");

        assertFailure(() -> sum.evalNumber(values(event("c", 1)), context), "field 'a' is missing");
        assertFailure(() -> sum.evalNumber(values(event("a", 1, "b", null)), context), "field 'b' is null");
        assertFailure(() -> compile("min(1, x, y)").evalNumber(values(event("y", "v")), context),
            "field 'x' is missing");
    }

    @Test
    void shouldNotEvaluateWhatAndOrOrIfDoNotNeed()
    {
        assertThat(bool(compile("x is not null and x > 3"), event())).isFalse();
        assertThat(bool(compile("x is null or x > 3"), event("x", null))).isTrue();
        assertThat(bool(compile("x is null or x > 3"), event("x", 4))).isTrue();
        assertThat(bool(compile("x is not null and x > 3"), event("x", 2))).isFalse();
        assertThat(number(compile("if(x is null, 0, x)"), event())).isEqualTo(0.0);
        assertThat(context.failed()).isFalse();
        assertFailure(() -> compile("x > 3 or x is null").evalBoolean(values(event()), context),
            "field 'x' is missing");
    }

    @Test
    void shouldTellNullAndMissingFieldsFromEmptyOnes()
    {
        final Expression isNull = compile("x is null");
        final Expression equalsNull = compile("x = null");

        for (final Map<String, Object> event : List.of(event(), event("x", null)))
        {
            assertThat(bool(isNull, event)).isTrue();
            assertThat(bool(equalsNull, event)).isTrue();
            assertThat(bool(compile("x is not null"), event)).isFalse();
            assertThat(bool(compile("null <> x"), event)).isFalse();
        }
        for (final Object value : new Object[]{ 0, "", false, List.of(), event() })
        {
            assertThat(bool(isNull, event("x", value))).as("%s", value).isFalse();
        }
    }

    @Test
    void shouldFollowIeeeArithmeticInsideTheExpression()
    {
        final Map<String, Object> event = event("zero", 0, "one", 1, "nan", Double.NaN);

        assertThat(bool(compile("one / zero > 1e308"), event)).isTrue();
        assertThat(bool(compile("zero / zero = zero / zero"), event)).isFalse();
        assertThat(bool(compile("zero / zero != zero / zero"), event)).isTrue();
        assertThat(bool(compile("nan < 1 or nan >= 1 or nan = nan or nan in [1, 2]"), event)).isFalse();
        assertThat(bool(compile("nan not in [1]"), event)).isTrue();
        assertThat(bool(compile("-0 = 0 and zero in [-0]"), event)).isTrue();
        assertThat(number(compile("-7 % 3"), event)).isEqualTo(-1.0);
        assertThat(number(compile("7.5 % -2"), event)).isEqualTo(1.5);
        assertThat(Double.doubleToRawLongBits(number(compile("-zero"), event)))
            .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Double.doubleToRawLongBits(number(compile("min(zero, -0)"), event)))
            .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Double.doubleToRawLongBits(number(compile("max(-0, zero)"), event))).isZero();
        assertThat(bool(compile("min(1, nan) < 5 or max(nan, 1) > 0"), event)).isFalse();
        assertThat(context.failed()).isFalse();
    }

    @Test
    void shouldFailANumberExpressionWhoseResultIsNotFinite()
    {
        final Map<String, Object> event = event("zero", 0, "one", 1, "nan", Double.NaN);

        assertFailure(() -> compile("one / zero").evalNumber(values(event), context), "expression gives Infinity");
        assertFailure(() -> compile("-one / zero").evalNumber(values(event), context), "expression gives -Infinity");
        assertFailure(() -> compile("log(zero)").evalNumber(values(event), context), "expression gives -Infinity");
        assertFailure(() -> compile("zero / zero").evalNumber(values(event), context), "expression gives NaN");
        assertFailure(() -> compile("sqrt(-one)").evalNumber(values(event), context), "expression gives NaN");
        assertFailure(() -> compile("nan").evalNumber(values(event), context), "expression gives NaN");
        assertFailure(() -> compile("exp(1000)").evalNumber(values(event), context), "expression gives Infinity");
        assertFailure(() -> compile("nope / zero").evalNumber(values(event), context), "field 'nope' is missing");
    }

    @Test
    void shouldComputeTheMathFunctions()
    {
        final Map<String, Object> event = event("x", -2.25);

        assertThat(number(compile("abs(x)"), event)).isEqualTo(2.25);
        assertThat(number(compile("sqrt(abs(x))"), event)).isEqualTo(1.5);
        assertThat(number(compile("log(exp(2))"), event)).isEqualTo(2.0);
        assertThat(number(compile("log(x * x)"), event)).isEqualTo(StrictMath.log(2.25 * 2.25));
        assertThat(number(compile("exp(x)"), event)).isEqualTo(StrictMath.exp(-2.25));
        assertThat(number(compile("min(3, x, 1, 7)"), event)).isEqualTo(-2.25);
        assertThat(number(compile("max(3, x, 1, 7)"), event)).isEqualTo(7.0);
        assertThat(number(compile("1 + 2 * 3 - 4 / 2"), event)).isEqualTo(5.0);
        assertThat(number(compile("(1 + 2) * 3"), event)).isEqualTo(9.0);
        assertThat(number(compile("1e-3 * 1000 + .5"), event)).isEqualTo(1.5);
    }

    @Test
    void shouldCompareStringsByteForByte()
    {
        assertThat(bool(compile("c = 'Zürich'"), event("c", "Zürich"))).isTrue();
        assertThat(bool(compile("c = 'zürich'"), event("c", "Zürich"))).isFalse();
        // the same letter composed and decomposed: different bytes, so different strings
        assertThat(bool(compile("c = 'Z\u00fcrich'"), event("c", "Zu\u0308rich"))).isFalse();
        assertThat(bool(compile("c = ''"), event("c", ""))).isTrue();
        assertThat(bool(compile("c in ['a', 'it\\'s', \"\"]"), event("c", "it's"))).isTrue();
        assertThat(bool(compile("c not in ['a', 'b']"), event("c", "ab"))).isTrue();
    }

    @Test
    void shouldCompareTwoStringFieldsThatShareTheEventsBuffer()
    {
        final Expression equal = compile("s = t");

        assertThat(bool(equal, event("s", "same", "t", "same"))).isTrue();
        assertThat(bool(equal, event("s", "same", "t", "sane"))).isFalse();
        assertThat(bool(compile("starts_with(s, t)"), event("s", "prefixed", "t", "pre"))).isTrue();
        assertThat(bool(compile("starts_with(s, t)"), event("s", "prefixed", "t", "fix"))).isFalse();
        assertThat(bool(compile("lower(s) = lower(t)"), event("s", "MiXeD", "t", "mixed"))).isTrue();
        assertThat(string(compile("if(s = t, s, t)"), event("s", "one", "t", "two"))).isEqualTo("two");
    }

    @Test
    void shouldTestPrefixesByBytes()
    {
        assertThat(bool(compile("starts_with(c, 'ab')"), event("c", "abc"))).isTrue();
        assertThat(bool(compile("starts_with(c, 'ab')"), event("c", "a"))).isFalse();
        assertThat(bool(compile("starts_with(c, '')"), event("c", ""))).isTrue();
        assertThat(bool(compile("starts_with(lower(c), 'éc')"), event("c", "ÉCOLE"))).isTrue();
    }

    @Test
    void shouldLowerEachCodePointByItsSimpleUnicodeMapping()
    {
        final Expression lower = compile("lower(c)");

        assertThat(string(lower, event("c", "Hello, WORLD 42!"))).isEqualTo("hello, world 42!");
        assertThat(string(lower, event("c", "ÉCOLE Straße ΣΑΣ"))).isEqualTo("école straße σασ");
        // Simple mappings, unlike String.toLowerCase: İ becomes i (not i + combining dot), no final sigma.
        assertThat(string(lower, event("c", "İSTANBUL"))).isEqualTo("istanbul");
        assertThat(string(lower, event("c", "\u212A\u212B"))).isEqualTo("kå");
        assertThat(string(lower, event("c", "\u023A\u023E😀"))).isEqualTo("\u2C65\u2C66😀");
        final String longText = "AȺ".repeat(10_000);
        assertThat(string(lower, event("c", longText))).isEqualTo("a\u2C65".repeat(10_000));
        assertThat(string(lower, event("c", ""))).isEmpty();
    }

    @Test
    void shouldPickTheIfBranchByTheCondition()
    {
        final Expression pick = compile("if(amount > 1000, lower(name), country)");

        assertThat(string(pick, event("amount", 2000, "name", "BIG", "country", "FR"))).isEqualTo("big");
        assertThat(string(pick, event("amount", 10, "name", "BIG", "country", "FR"))).isEqualTo("FR");
        assertThat(string(pick, event("amount", 10, "country", "DE"))).isEqualTo("DE");
        assertThat(bool(compile("if(a > 0, b, c)", FieldType.BOOLEAN), event("a", 1, "b", true))).isTrue();
        assertThat(number(compile("if(a > 0, b, c) + 1"), event("a", 0, "c", 2))).isEqualTo(3.0);
    }

    @Test
    void shouldEvaluateStringsIntoTheContextsBuffer()
    {
        assertThat(string(compile("'it\\'s \\\\ \"fine\"'"), event())).isEqualTo("it's \\ \"fine\"");
        assertThat(string(compile("c", FieldType.STRING), event("c", "raw"))).isEqualTo("raw");
        assertThat(context.stringLength()).isEqualTo(3);
        final String longText = "x".repeat(5_000);
        assertThat(string(compile("c", FieldType.STRING), event("c", longText))).isEqualTo(longText);
        assertThat(context.stringBytes().length).isGreaterThanOrEqualTo(5_000);
        assertFailure(() -> compile("lower(c)").evalString(values(event()), context), "field 'c' is missing");
        assertThat(context.stringLength()).isZero();
    }

    @Test
    void shouldForgetTheLastFailureWhenEvaluatingAgain()
    {
        final Expression positive = compile("x > 0");

        assertThat(bool(positive, event())).isFalse();
        assertThat(context.failed()).isTrue();
        assertThat(bool(positive, event("x", 1))).isTrue();
        assertThat(context.failed()).isFalse();
    }

    @Test
    void shouldReadBooleansAndBooleanLists()
    {
        assertThat(bool(compile("flag = true and not (other != false)"), event("flag", true, "other", false))).isTrue();
        assertThat(bool(compile("flag in [true]"), event("flag", false))).isFalse();
        assertThat(bool(compile("flag not in [true]"), event("flag", false))).isTrue();
        assertThat(bool(compile("flag in [true, false]"), event("flag", false))).isTrue();
        assertThat(bool(compile("(a > 1) = (b > 1)"), event("a", 2, "b", 3))).isTrue();
    }

    @Test
    void shouldReadBackQuotedAndDottedFields()
    {
        assertThat(number(compile("`my-field` + a.`b c`.d"), event("my-field", 1, "a", event("b c", event("d", 2)))))
            .isEqualTo(3.0);
    }

    private Expression compile(final String text)
    {
        return Expression.compile(text, resolver);
    }

    private Expression compile(final String text, final FieldType type)
    {
        return Expression.compile(text, resolver, type);
    }

    private FieldValues values(final Map<String, Object> event)
    {
        return MapFieldValues.of(resolver, event);
    }

    private boolean bool(final Expression expression, final Map<String, Object> event)
    {
        return expression.evalBoolean(values(event), context);
    }

    private double number(final Expression expression, final Map<String, Object> event)
    {
        final double value = expression.evalNumber(values(event), context);
        assertThat(context.failure()).isNull();
        return value;
    }

    private String string(final Expression expression, final Map<String, Object> event)
    {
        expression.evalString(values(event), context);
        assertThat(context.failure()).isNull();
        return context.stringValue();
    }

    private void assertFailure(final Runnable evaluation, final String reason)
    {
        evaluation.run();
        assertThat(context.failed()).isTrue();
        assertThat(context.failure()).isEqualTo(reason);
    }
}
