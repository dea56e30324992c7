package dev.ringflow.engine.expr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.ringflow.engine.expr.MapFieldValues.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionCompilerTest
{
    private final MapFieldResolver resolver = new MapFieldResolver()
        .declare("total", FieldType.NUMBER).declare("name", FieldType.STRING).declare("vip", FieldType.BOOLEAN);
    private final EvalContext context = new EvalContext();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "amount > \"x\"                  | expected a number but \"x\" is a string                      | 10",
        "amount + 'x'                    | expected a number but 'x' is a string                        | 10",
        "1 = 'a'                         | expected a number but 'a' is a string                        | 5",
        "'a' = 1                         | expected a string but 1 is a number                          | 7",
        "a and 1                         | expected a boolean but 1 is a number                         | 7",
        "not amount + 1                  | expected a boolean but 'amount + 1' is a number              | 5",
        "a > 1 + (b > 2)                 | expected a number but 'b > 2' is a boolean                   | 10",
        "-(a = 1) < 3                    | expected a number but 'a = 1' is a boolean                   | 3",
        "x in [1, 'a']                   | expected a number but 'a' is a string                        | 10",
        "x + 1 in ['a']                  | expected a number but 'a' is a string                        | 11",
        "lower(x) in [1]                 | expected a string but 1 is a number                          | 14",
        "(a + 1) is null                 | 'is null' applies to field references only                   | 2",
        "a + 1 = null                    | only a field can be compared with null                       | 1",
        "null != null                    | only a field can be compared with null                       | 9",
        "a + null                        | null can only be compared with a field, as in 'x = null' or 'x is null' | 5",
        "1 + foo(x)                      | unknown function 'foo'                                       | 5",
        "abs(1, 2)                       | function 'abs' takes 1 argument but was given 2              | 1",
        "MIN(1)                          | function 'min' takes at least 2 arguments but was given 1    | 1",
        "x > 1 and if(a, 1)              | function 'if' takes 3 arguments but was given 2              | 11",
        "if(a > 1, 1, 'x')               | expected a number but 'x' is a string                        | 14",
        "if(1, 2, 3)                     | expected a boolean but 1 is a number                         | 4",
        "starts_with(s, 1)               | expected a string but 1 is a number                          | 16",
        "lower(total)                    | expected a string but field 'total' is a number              | 7",
        "name = total                    | expected a string but field 'total' is a number              | 8",
        "vip + 1                         | expected a number but field 'vip' is a boolean               | 1",
        "sqrt(lower(a) = 'é') > 0        | expected a number but 'lower(a) = 'é'' is a boolean          | 6",
        "a < lower(bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb) | expected a number but 'lower(bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb...' is a string | 5",
    })
    void shouldReportTypeErrorsWithTheColumnOfTheOffendingOperand(final String text, final String reason,
        final int column)
    {
        assertThatThrownBy(() -> Expression.compile(text, resolver))
            .isInstanceOfSatisfying(ExpressionException.class, ex ->
            {
                assertThat(ex.reason()).isEqualTo(reason);
                assertThat(ex.column()).isEqualTo(column);
            });
    }

    @Test
    void shouldCheckTheWholeExpressionAgainstTheTypeItsUseExpects()
    {
        assertThatThrownBy(() -> Expression.compile("amount + 1", resolver, FieldType.BOOLEAN))
            .isInstanceOf(ExpressionException.class)
            .hasMessage("expected a boolean but 'amount + 1' is a number at column 1");
        assertThatThrownBy(() -> Expression.compile("total", resolver, FieldType.STRING))
            .hasMessage("expected a string but field 'total' is a number at column 1");
    }

    @Test
    void shouldReadALoneInputFieldAsANumberUnlessTheExpectedTypeSaysOtherwise()
    {
        assertThat(Expression.compile("a", resolver).type()).isEqualTo(FieldType.NUMBER);
        assertThat(Expression.compile("if(c, a, b)", resolver).type()).isEqualTo(FieldType.NUMBER);
        assertThat(Expression.compile("name", resolver).type()).isEqualTo(FieldType.STRING);

        final Expression flag = Expression.compile("is_test", resolver, FieldType.BOOLEAN);
        assertThat(flag.evalBoolean(values(event("is_test", true)), context)).isTrue();
        final Expression text = Expression.compile("if(c, a, b)", resolver, FieldType.STRING);
        text.evalString(values(event("c", false, "a", 1, "b", "bee")), context);
        assertThat(context.stringValue()).isEqualTo("bee");
    }

    @Test
    void shouldCompareTwoInputFieldsAsNumbers()
    {
        final Expression equal = Expression.compile("a = b", resolver);

        assertThat(equal.evalBoolean(values(event("a", 2, "b", 2.0)), context)).isTrue();
        assertThat(equal.evalBoolean(values(event("a", "x", "b", "x")), context)).isFalse();
        assertThat(context.failure()).isEqualTo("field 'a' is not a number");
    }

    @Test
    void shouldGiveAnInputFieldTheTypeOfWhatItIsComparedWith()
    {
        assertThat(Expression.compile("a = 'x'", resolver).evalBoolean(values(event("a", "x")), context)).isTrue();
        assertThat(Expression.compile("'x' != a", resolver).evalBoolean(values(event("a", "y")), context)).isTrue();
        assertThat(Expression.compile("a = true", resolver).evalBoolean(values(event("a", true)), context)).isTrue();
        assertThat(Expression.compile("a = name", resolver).evalBoolean(values(event("a", "n", "name", "n")),
            context)).isTrue();
        assertThat(Expression.compile("a = lower(b)", resolver).evalBoolean(values(event("a", "q", "b", "Q")),
            context)).isTrue();
        assertThat(Expression.compile("a in ['x']", resolver).evalBoolean(values(event("a", "x")), context)).isTrue();
        assertThat(Expression.compile("a in [false]", resolver).evalBoolean(values(event("a", false)), context))
            .isTrue();
        assertThat(Expression.compile("if(c, a, b) = 'x'", resolver)
            .evalBoolean(values(event("c", true, "a", "x", "b", 1)), context)).isTrue();
        assertThat(Expression.compile("a = 1", resolver).evalBoolean(values(event("a", "1")), context)).isFalse();
        assertThat(context.failure()).isEqualTo("field 'a' is not a number");
    }

    @Test
    void shouldGiveAnIfTheTypeOfEitherBranch()
    {
        assertThat(Expression.compile("if(c, a, 'x')", resolver).type()).isEqualTo(FieldType.STRING);
        assertThat(Expression.compile("if(c, name, a)", resolver).type()).isEqualTo(FieldType.STRING);
        assertThat(Expression.compile("if(c, a, b > 1)", resolver).type()).isEqualTo(FieldType.BOOLEAN);
    }

    @Test
    void shouldMatchFunctionNamesWhateverTheirCase()
    {
        assertThat(Expression.compile("ABS(a) + Sqrt(b) > Max(1, 2)", resolver).type()).isEqualTo(FieldType.BOOLEAN);
        assertThat(Expression.compile("Starts_With(LOWER(s), 'a')", resolver).type()).isEqualTo(FieldType.BOOLEAN);
    }

    @Test
    void shouldListTheFieldsItReadsOnceEachInOrderOfAppearance()
    {
        final Expression expression =
            Expression.compile("merchant.country = 'FR' or a.b + c * a.b > 1 or d is null or e = null", resolver);

        assertThat(expression.fieldPaths()).containsExactly("merchant.country", "a.b", "c", "d", "e");
        assertThat(resolver.paths()).containsExactly("merchant.country", "a.b", "c", "d", "e");
        assertThat(expression.text()).isEqualTo(expression.toString())
            .isEqualTo("merchant.country = 'FR' or a.b + c * a.b > 1 or d is null or e = null");
    }

    @Test
    void shouldRefuseToEvaluateAsAnotherTypeThanItsOwn()
    {
        final Expression expression = Expression.compile("a + 1", resolver);
        final FieldValues event = values(event("a", 1));

        assertThatThrownBy(() -> expression.evalBoolean(event, context)).isInstanceOf(IllegalStateException.class)
            .hasMessage("expression 'a + 1' is a number, not a boolean");
        assertThatThrownBy(() -> expression.evalString(event, context)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Expression.compile("a > 1", resolver).evalNumber(event, context))
            .isInstanceOf(IllegalStateException.class);
    }

    private FieldValues values(final java.util.Map<String, Object> event)
    {
        return MapFieldValues.of(resolver, event);
    }
}
