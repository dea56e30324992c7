package dev.ringflow.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression's text into {@link Token}s, unescaping string literals.
 * <p>
 * <b>Note:</b> Compile time only; allocates freely.
 */
final class ExpressionLexer
{
    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private int index;

    private ExpressionLexer(final String text)
    {
        this.text = text;
    }

    /**
     * @return the tokens, ending with one {@link Token.Type#END} token.
     * @throws ExpressionException for a character that starts no token, a malformed number, an unterminated or
     *                             badly escaped string, or a bad back-quoted name.
     */
    static List<Token> tokenize(final String text)
    {
        final ExpressionLexer lexer = new ExpressionLexer(text);
        lexer.run();
        return lexer.tokens;
    }

    private void run()
    {
        final int length = text.length();
        while (true)
        {
            while (index < length && isWhitespace(text.charAt(index)))
            {
                index++;
            }
            if (index == length)
            {
                tokens.add(new Token(Token.Type.END, length, length, "", 0));
                return;
            }
            final char c = text.charAt(index);
            if (isDigit(c) || ('.' == c && index + 1 < length && isDigit(text.charAt(index + 1))))
            {
                number();
            }
            else if ('\'' == c || '"' == c)
            {
                string(c);
            }
            else if ('`' == c)
            {
                quotedIdentifier();
            }
            else if (isIdentifierStart(c))
            {
                final int start = index;
                while (index < length && isIdentifierPart(text.charAt(index)))
                {
                    index++;
                }
                add(Token.Type.IDENTIFIER, start, text.substring(start, index));
            }
            else
            {
                operator(c);
            }
        }
    }

    private void number()
    {
        final int start = index;
        skipDigits();
        if (index < text.length() && '.' == text.charAt(index))
        {
            index++;
            skipDigits();
        }
        if (index < text.length() && ('e' == text.charAt(index) || 'E' == text.charAt(index)))
        {
            index++;
            if (index < text.length() && ('+' == text.charAt(index) || '-' == text.charAt(index)))
            {
                index++;
            }
            final int exponentStart = index;
            skipDigits();
            if (index == exponentStart)
            {
                throw ExpressionException.at(text, start, "malformed number '" + text.substring(start, index) + "'");
            }
        }
        final String literal = text.substring(start, index);
        final double value = Double.parseDouble(literal);
        if (Double.isInfinite(value))
        {
            throw ExpressionException.at(text, start, "number " + literal + " is out of range");
        }
        tokens.add(new Token(Token.Type.NUMBER, start, index, literal, value));
    }

    private void string(final char quote)
    {
        final int start = index++;
        final StringBuilder value = new StringBuilder();
        while (true)
        {
            if (index >= text.length())
            {
                throw ExpressionException.at(text, start, "unterminated string");
            }
            final char c = text.charAt(index);
            if (quote == c)
            {
                index++;
                add(Token.Type.STRING, start, value.toString());
                return;
            }
            if ('\\' == c)
            {
                if (index + 1 >= text.length())
                {
                    throw ExpressionException.at(text, start, "unterminated string");
                }
                final char escaped = text.charAt(index + 1);
                if ('\'' != escaped && '"' != escaped && '\\' != escaped)
                {
                    throw ExpressionException.at(text, index, "invalid escape '\\" +
                        text.substring(index + 1, text.offsetByCodePoints(index + 1, 1)) +
                        "' (the escapes are \\' \\\" and \\\\)");
                }
                value.append(escaped);
                index += 2;
            }
            else
            {
                value.append(c);
                index++;
            }
        }
    }

    private void quotedIdentifier()
    {
        final int start = index;
        final int close = text.indexOf('`', start + 1);
        if (close < 0)
        {
            throw ExpressionException.at(text, start, "unterminated back-quoted field name");
        }
        final String name = text.substring(start + 1, close);
        if (name.isEmpty())
        {
            throw ExpressionException.at(text, start, "empty back-quoted field name");
        }
        final int dot = name.indexOf('.');
        if (dot >= 0)
        {
            throw ExpressionException.at(text, start + 1 + dot,
                "a back-quoted field name cannot contain '.' (paths are dot-separated: a.`b-c`)");
        }
        index = close + 1;
        add(Token.Type.QUOTED_IDENTIFIER, start, name);
    }

    private void operator(final char c)
    {
        final char next = index + 1 < text.length() ? text.charAt(index + 1) : 0;
        switch (c)
        {
            case '(': single(Token.Type.LEFT_PAREN); break;
            case ')': single(Token.Type.RIGHT_PAREN); break;
            case '[': single(Token.Type.LEFT_BRACKET); break;
            case ']': single(Token.Type.RIGHT_BRACKET); break;
            case ',': single(Token.Type.COMMA); break;
            case '.': single(Token.Type.DOT); break;
            case '+': single(Token.Type.PLUS); break;
            case '-': single(Token.Type.MINUS); break;
            case '*': single(Token.Type.STAR); break;
            case '/': single(Token.Type.SLASH); break;
            case '%': single(Token.Type.PERCENT); break;
            case '=': symbol(Token.Type.EQUAL, '=' == next ? 2 : 1); break;
            case '<':
                if ('=' == next)
                {
                    symbol(Token.Type.LESS_EQUAL, 2);
                }
                else
                {
                    symbol('>' == next ? Token.Type.NOT_EQUAL : Token.Type.LESS, '>' == next ? 2 : 1);
                }
                break;
            case '>': symbol('=' == next ? Token.Type.GREATER_EQUAL : Token.Type.GREATER, '=' == next ? 2 : 1); break;
            case '!':
                if ('=' == next)
                {
                    symbol(Token.Type.NOT_EQUAL, 2);
                    break;
                }
                // fall through: '!' alone is not an operator
            default:
                throw ExpressionException.at(text, index,
                    "unexpected character '" + text.substring(index, text.offsetByCodePoints(index, 1)) + "'");
        }
    }

    private void single(final Token.Type type)
    {
        symbol(type, 1);
    }

    private void symbol(final Token.Type type, final int length)
    {
        final int start = index;
        index += length;
        add(type, start, text.substring(start, index));
    }

    private void add(final Token.Type type, final int start, final String value)
    {
        tokens.add(new Token(type, start, index, value, 0));
    }

    private void skipDigits()
    {
        while (index < text.length() && isDigit(text.charAt(index)))
        {
            index++;
        }
    }

    private static boolean isWhitespace(final char c)
    {
        return ' ' == c || '\t' == c || '\n' == c || '\r' == c;
    }

    private static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || '_' == c;
    }

    private static boolean isIdentifierPart(final char c)
    {
        return isIdentifierStart(c) || isDigit(c);
    }
}
