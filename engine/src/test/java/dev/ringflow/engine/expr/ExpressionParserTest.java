package dev.ringflow.engine.expr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionParserTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "a or b and c                   | (a or (b and c))",
        "a and b or c                   | ((a and b) or c)",
        "not a and b                    | ((not a) and b)",
        "not a = b                      | (not (a = b))",
        "not not a                      | (not (not a))",
        "a = b and c != d               | ((a = b) and (c != d))",
        "a + b * c > d - e / f % g      | ((a + (b * c)) > (d - ((e / f) % g)))",
        "a - b - c                      | ((a - b) - c)",
        "a / b * c                      | ((a / b) * c)",
        "-a * b                         | ((-a) * b)",
        "a * -b                         | (a * (-b))",
        "- -a                           | (-(-a))",
        "-3 * a                         | (-3 * a)",
        "(a + b) * c                    | ((a + b) * c)",
        "a + b in [1, -2.5]             | ((a + b) in [1, -2.5])",
        "a not in ['x', \"y\"]          | (a not in ['x', 'y'])",
        "a is null or b is not null     | ((a is null) or (b is not null))",
        "not a is null                  | (not (a is null))",
        "a <> b or a == b               | ((a != b) or (a = b))",
        "if(a > 1, min(a, b, 3), -c)    | if((a > 1), min(a, b, 3), (-c))",
        "f()                            | f()",
    })
    void shouldParseWithTheDocumentedPrecedence(final String text, final String parenthesised)
    {
        assertThat(ExpressionParser.parse(text)).hasToString(parenthesised);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "a AND b Or NOT c               | ((a and b) or (not c))",
        "A And B                        | (A and B)",
        "x NOT IN [TRUE, False]         | (x not in [true, false])",
        "x IS NOT NULL                  | (x is not null)",
        "x = NULL                       | (x = null)",
    })
    void shouldReadKeywordsWhateverTheirCase(final String text, final String parenthesised)
    {
        assertThat(ExpressionParser.parse(text)).hasToString(parenthesised);
    }

    @Test
    void shouldReadDottedAndBackQuotedPathsAsOneField()
    {
        final Syntax syntax = ExpressionParser.parse("merchant.`country-code`.iso2");

        assertThat(syntax).isInstanceOf(Syntax.FieldReference.class);
        assertThat(((Syntax.FieldReference)syntax).path).isEqualTo("merchant.country-code.iso2");
        assertThat(((Syntax.FieldReference)ExpressionParser.parse("`and`")).path).isEqualTo("and");
        assertThat(((Syntax.FieldReference)ExpressionParser.parse("a.in")).path).isEqualTo("a.in");
    }

    @Test
    void shouldTellFunctionCallsFromFieldsOfTheSameName()
    {
        assertThat(ExpressionParser.parse("min > min(min, 1)")).hasToString("(min > min(min, 1))");
        assertThat(ExpressionParser.parse("if = 1")).hasToString("(if = 1)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "(a + b))                 | unexpected ')'                                               | 8",
        "abs(x,)                  | unexpected ')'                                               | 7",
        "a +                      | unexpected end of expression                                 | 4",
        "~~                       | empty expression                                             | 1",
        "~   ~                    | empty expression                                             | 4",
        "a b                      | unexpected 'b'                                               | 3",
        "a < b < c                | unexpected '<'                                               | 7",
        "a = 'x' 'y'              | unexpected string 'y'                                        | 9",
        "a and or b               | unexpected 'or'                                              | 7",
        "a in (1, 2)              | expected '[' after 'in' but found '('                        | 6",
        "a in []                  | an 'in' list holds number, string or boolean literals, not ']' | 7",
        "a in [b]                 | an 'in' list holds number, string or boolean literals, not 'b' | 7",
        "a in [1 2]               | unexpected number 2                                          | 9",
        "a is 3                   | expected 'null' after 'is' but found number 3                | 6",
        "a is not b               | expected 'null' after 'is not' but found 'b'                 | 10",
        "a.                       | expected a field name after '.' but found end of expression  | 3",
        "a.1                      | unexpected number .1                                         | 2",
        "a not b                  | unexpected 'not'                                             | 3",
        "(a                       | unexpected end of expression                                 | 3",
    })
    void shouldReportSyntaxErrorsWithTheirColumn(final String text, final String reason, final int column)
    {
        assertThatThrownBy(() -> ExpressionParser.parse(text))
            .isInstanceOfSatisfying(ExpressionException.class, ex ->
            {
                assertThat(ex.reason()).isEqualTo(reason);
                assertThat(ex.column()).isEqualTo(column);
            });
    }

    @Test
    void shouldRefuseExpressionsNestedTooDeeplyToEvaluateSafely()
    {
        final int depth = ExpressionParser.MAX_DEPTH + 1;
        final String parentheses = "(".repeat(100_000) + "a" + ")".repeat(100_000);
        final String chain = "a" + " + a".repeat(depth);
        final String negations = "-".repeat(depth) + "a";

        for (final String text : new String[]{ parentheses, chain, negations, "not ".repeat(depth) + "a" })
        {
            assertThatThrownBy(() -> ExpressionParser.parse(text))
                .isInstanceOf(ExpressionException.class)
                .hasMessageStartingWith("expression nests deeper than " + ExpressionParser.MAX_DEPTH + " levels");
        }
        assertThat(ExpressionParser.parse("a" + " + a".repeat(ExpressionParser.MAX_DEPTH - 1)).depth)
            .isEqualTo(ExpressionParser.MAX_DEPTH);
    }
}
