package dev.ringflow.engine.expr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionLexerTest
{
    @Test
    void shouldUnescapeQuotesAndBackslashesInBothKindsOfStringLiteral()
    {
        final List<Token> tokens = ExpressionLexer.tokenize("'it\\'s' \"say \\\"hi\\\"\" 'a\\\\b' '\"' \"'\" 'x\\\"y'");

        assertThat(tokens).extracting(Token::value)
            .containsExactly("it's", "say \"hi\"", "a\\b", "\"", "'", "x\"y", "");
        assertThat(tokens).extracting(Token::type).startsWith(Token.Type.STRING).endsWith(Token.Type.END);
    }

    @Test
    void shouldKeepNonAsciiTextInStringsAsIs()
    {
        assertThat(ExpressionLexer.tokenize("'Zürich ΣΑΣ 😀'").get(0).value()).isEqualTo("Zürich ΣΑΣ 😀");
    }

    @ParameterizedTest
    @CsvSource({ "12, 12", "3.5, 3.5", "1e-3, 0.001", "1E3, 1000", "2.5e+2, 250", ".5, 0.5", "7., 7" })
    void shouldReadNumberLiterals(final String text, final double value)
    {
        final Token token = ExpressionLexer.tokenize(text).get(0);

        assertThat(token.type()).isEqualTo(Token.Type.NUMBER);
        assertThat(token.number()).isEqualTo(value);
        assertThat(token.end()).isEqualTo(text.length());
    }

    @Test
    void shouldTellEveryOperatorApart()
    {
        assertThat(ExpressionLexer.tokenize("= == != <> < <= > >= + - * / % ( ) [ ] , ."))
            .extracting(Token::type).containsExactly(
                Token.Type.EQUAL, Token.Type.EQUAL, Token.Type.NOT_EQUAL, Token.Type.NOT_EQUAL, Token.Type.LESS,
                Token.Type.LESS_EQUAL, Token.Type.GREATER, Token.Type.GREATER_EQUAL, Token.Type.PLUS,
                Token.Type.MINUS, Token.Type.STAR, Token.Type.SLASH, Token.Type.PERCENT, Token.Type.LEFT_PAREN,
                Token.Type.RIGHT_PAREN, Token.Type.LEFT_BRACKET, Token.Type.RIGHT_BRACKET, Token.Type.COMMA,
                Token.Type.DOT, Token.Type.END);
    }

    @Test
    void shouldReadBackQuotedNamesVerbatim()
    {
        final Token token = ExpressionLexer.tokenize("`my-field #2`").get(0);

        assertThat(token.type()).isEqualTo(Token.Type.QUOTED_IDENTIFIER);
        assertThat(token.value()).isEqualTo("my-field #2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "a # b            | unexpected character '#'                                     | 3",
        "a ! b            | unexpected character '!'                                     | 3",
        "x = 'abc         | unterminated string                                          | 5",
        "x = 'abc\\       | unterminated string                                          | 5",
        "x = \"a\\nb\"    | invalid escape '\\n' (the escapes are \\' \\\" and \\\\)      | 7",
        "1e+ > x          | malformed number '1e+'                                       | 1",
        "x > 1e999        | number 1e999 is out of range                                 | 5",
        "`abc             | unterminated back-quoted field name                          | 1",
        "`` = 1           | empty back-quoted field name                                 | 1",
        "x + `a.b`        | a back-quoted field name cannot contain '.' (paths are dot-separated: a.`b-c`) | 7",
        "'😀' = 1 #       | unexpected character '#'                                     | 9",
    })
    void shouldReportLexicalErrorsWithTheirColumn(final String text, final String reason, final int column)
    {
        assertThatThrownBy(() -> ExpressionLexer.tokenize(text))
            .isInstanceOfSatisfying(ExpressionException.class, ex ->
            {
                assertThat(ex.reason()).isEqualTo(reason);
                assertThat(ex.column()).isEqualTo(column);
                assertThat(ex.getMessage()).isEqualTo(reason + " at column " + column);
            });
    }
}
