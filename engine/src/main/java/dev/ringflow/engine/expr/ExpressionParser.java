package dev.ringflow.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser from an expression's tokens to its {@link Syntax} tree; precedence from lowest:
 * {@code or}, {@code and}, {@code not}, comparisons ({@code = == != <> < <= > >= in, not in, is null, is not null},
 * not chained), {@code + -}, {@code * / %}, unary {@code -}.
 * <p>
 * <b>Note:</b> Compile time only; allocates freely.
 */
final class ExpressionParser
{
    /** Deep enough for any hand-written expression, shallow enough that compiling and evaluating cannot overflow. */
    static final int MAX_DEPTH = 128;

    private static final String[] RESERVED_WORDS = { "and", "or", "not", "in", "is", "null", "true", "false" };

    private final String text;
    private final List<Token> tokens;
    private int next;
    private int nesting;

    private ExpressionParser(final String text, final List<Token> tokens)
    {
        this.text = text;
        this.tokens = tokens;
    }

    /**
     * @throws ExpressionException for a syntax error, with its column.
     */
    static Syntax parse(final String text)
    {
        final ExpressionParser parser = new ExpressionParser(text, ExpressionLexer.tokenize(text));
        if (Token.Type.END == parser.peek().type())
        {
            throw ExpressionException.at(text, parser.peek().start(), "empty expression");
        }
        final Syntax syntax = parser.or();
        if (Token.Type.END != parser.peek().type())
        {
            throw parser.unexpected(parser.peek());
        }
        return syntax;
    }

    static boolean isReservedWord(final String name)
    {
        for (final String word : RESERVED_WORDS)
        {
            if (word.equalsIgnoreCase(name))
            {
                return true;
            }
        }
        return false;
    }

    private Syntax or()
    {
        enter();
        Syntax left = and();
        while (peek().isKeyword("or"))
        {
            next++;
            left = checkDepth(new Syntax.Binary(Syntax.Operator.OR, left, and()));
        }
        nesting--;
        return left;
    }

    private Syntax and()
    {
        Syntax left = not();
        while (peek().isKeyword("and"))
        {
            next++;
            left = checkDepth(new Syntax.Binary(Syntax.Operator.AND, left, not()));
        }
        return left;
    }

    private Syntax not()
    {
        final Token token = peek();
        if (!token.isKeyword("not"))
        {
            return comparison();
        }
        next++;
        enter();
        final Syntax operand = not();
        nesting--;
        return checkDepth(new Syntax.Not(token.start(), operand));
    }

    private Syntax comparison()
    {
        final Syntax left = additive();
        final Token token = peek();
        final Syntax.Operator operator = comparisonOperator(token.type());
        if (null != operator)
        {
            next++;
            return checkDepth(new Syntax.Binary(operator, left, additive()));
        }
        if (token.isKeyword("in"))
        {
            next++;
            return inList(left, false);
        }
        if (token.isKeyword("not") && tokens.get(next + 1).isKeyword("in"))
        {
            next += 2;
            return inList(left, true);
        }
        if (token.isKeyword("is"))
        {
            next++;
            final boolean negated = peek().isKeyword("not");
            if (negated)
            {
                next++;
            }
            final Token nullToken = take();
            if (!nullToken.isKeyword("null"))
            {
                throw ExpressionException.at(text, nullToken.start(),
                    "expected 'null' after '" + (negated ? "is not" : "is") + "' but found " + nullToken.describe(text));
            }
            return checkDepth(new Syntax.IsNull(left, negated, nullToken.end()));
        }
        return left;
    }

    private Syntax inList(final Syntax operand, final boolean negated)
    {
        final Token open = take();
        if (Token.Type.LEFT_BRACKET != open.type())
        {
            throw ExpressionException.at(text, open.start(), "expected '[' after 'in' but found " + open.describe(text));
        }
        final List<Syntax> elements = new ArrayList<>();
        Token separator;
        do
        {
            elements.add(listLiteral());
            separator = take();
        }
        while (Token.Type.COMMA == separator.type());
        if (Token.Type.RIGHT_BRACKET != separator.type())
        {
            throw unexpected(separator);
        }
        return checkDepth(new Syntax.InList(operand, negated, elements, separator.end()));
    }

    private Syntax listLiteral()
    {
        final Token token = take();
        if (Token.Type.MINUS == token.type() && Token.Type.NUMBER == peek().type())
        {
            return negativeNumber(token, take());
        }
        switch (token.type())
        {
            case NUMBER:
                return new Syntax.NumberLiteral(token.start(), token.end(), token.number(), token.value());
            case STRING:
                return new Syntax.StringLiteral(token.start(), token.end(), token.value());
            default:
                if (token.isKeyword("true") || token.isKeyword("false"))
                {
                    return new Syntax.BooleanLiteral(token.start(), token.end(), token.isKeyword("true"));
                }
                throw ExpressionException.at(text, token.start(),
                    "an 'in' list holds number, string or boolean literals, not " + token.describe(text));
        }
    }

    private Syntax additive()
    {
        Syntax left = multiplicative();
        while (true)
        {
            final Token.Type type = peek().type();
            if (Token.Type.PLUS != type && Token.Type.MINUS != type)
            {
                return left;
            }
            next++;
            final Syntax.Operator operator = Token.Type.PLUS == type ? Syntax.Operator.ADD : Syntax.Operator.SUBTRACT;
            left = checkDepth(new Syntax.Binary(operator, left, multiplicative()));
        }
    }

    private Syntax multiplicative()
    {
        Syntax left = unary();
        while (true)
        {
            final Token.Type type = peek().type();
            final Syntax.Operator operator = Token.Type.STAR == type ? Syntax.Operator.MULTIPLY :
                Token.Type.SLASH == type ? Syntax.Operator.DIVIDE :
                Token.Type.PERCENT == type ? Syntax.Operator.REMAINDER : null;
            if (null == operator)
            {
                return left;
            }
            next++;
            left = checkDepth(new Syntax.Binary(operator, left, unary()));
        }
    }

    private Syntax unary()
    {
        final Token token = peek();
        if (Token.Type.MINUS != token.type())
        {
            return primary();
        }
        next++;
        if (Token.Type.NUMBER == peek().type())
        {
            return negativeNumber(token, take());
        }
        enter();
        final Syntax operand = unary();
        nesting--;
        return checkDepth(new Syntax.Negate(token.start(), operand));
    }

    private Syntax primary()
    {
        final Token token = take();
        switch (token.type())
        {
            case NUMBER:
                return new Syntax.NumberLiteral(token.start(), token.end(), token.number(), token.value());
            case STRING:
                return new Syntax.StringLiteral(token.start(), token.end(), token.value());
            case QUOTED_IDENTIFIER:
                return path(token);
            case LEFT_PAREN:
                final Syntax inner = or();
                final Token close = take();
                if (Token.Type.RIGHT_PAREN != close.type())
                {
                    throw unexpected(close);
                }
                return inner;
            case IDENTIFIER:
                if (token.isKeyword("true") || token.isKeyword("false"))
                {
                    return new Syntax.BooleanLiteral(token.start(), token.end(), token.isKeyword("true"));
                }
                if (token.isKeyword("null"))
                {
                    return new Syntax.NullLiteral(token.start(), token.end());
                }
                if (isReservedWord(token.value()))
                {
                    throw unexpected(token);
                }
                return Token.Type.LEFT_PAREN == peek().type() ? call(token) : path(token);
            default:
                throw unexpected(token);
        }
    }

    private Syntax call(final Token name)
    {
        next++;
        final List<Syntax> arguments = new ArrayList<>();
        Token separator = peek();
        if (Token.Type.RIGHT_PAREN == separator.type())
        {
            next++;
        }
        else
        {
            do
            {
                arguments.add(or());
                separator = take();
            }
            while (Token.Type.COMMA == separator.type());
            if (Token.Type.RIGHT_PAREN != separator.type())
            {
                throw unexpected(separator);
            }
        }
        return checkDepth(new Syntax.Call(name.start(), separator.end(), name.value(), arguments));
    }

    private Syntax path(final Token first)
    {
        final StringBuilder path = new StringBuilder(first.value());
        int end = first.end();
        while (Token.Type.DOT == peek().type())
        {
            next++;
            final Token segment = take();
            if (Token.Type.IDENTIFIER != segment.type() && Token.Type.QUOTED_IDENTIFIER != segment.type())
            {
                throw ExpressionException.at(text, segment.start(),
                    "expected a field name after '.' but found " + segment.describe(text));
            }
            path.append('.').append(segment.value());
            end = segment.end();
        }
        return new Syntax.FieldReference(first.start(), end, path.toString());
    }

    private Syntax negativeNumber(final Token minus, final Token number)
    {
        return new Syntax.NumberLiteral(minus.start(), number.end(), -number.number(),
            text.substring(minus.start(), number.end()));
    }

    private static Syntax.Operator comparisonOperator(final Token.Type type)
    {
        switch (type)
        {
            case EQUAL: return Syntax.Operator.EQUAL;
            case NOT_EQUAL: return Syntax.Operator.NOT_EQUAL;
            case LESS: return Syntax.Operator.LESS;
            case LESS_EQUAL: return Syntax.Operator.LESS_EQUAL;
            case GREATER: return Syntax.Operator.GREATER;
            case GREATER_EQUAL: return Syntax.Operator.GREATER_EQUAL;
            default: return null;
        }
    }

    private void enter()
    {
        if (++nesting > MAX_DEPTH)
        {
            throw tooDeep(peek().start());
        }
    }

    private Syntax checkDepth(final Syntax syntax)
    {
        if (syntax.depth > MAX_DEPTH)
        {
            throw tooDeep(syntax.start);
        }
        return syntax;
    }

    private ExpressionException tooDeep(final int index)
    {
        return ExpressionException.at(text, index, "expression nests deeper than " + MAX_DEPTH + " levels");
    }

    private Token peek()
    {
        return tokens.get(next);
    }

    private Token take()
    {
        final Token token = tokens.get(next);
        if (Token.Type.END != token.type())
        {
            next++;
        }
        return token;
    }

    private ExpressionException unexpected(final Token token)
    {
        return ExpressionException.at(text, token.start(), "unexpected " + token.describe(text));
    }
}
