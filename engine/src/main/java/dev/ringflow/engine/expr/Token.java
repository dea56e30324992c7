package dev.ringflow.engine.expr;

/**
 * One token of an expression's text, from {@code start} (inclusive) to {@code end} (exclusive) char index.
 *
 * @param value the unescaped text of a string literal, the name of an identifier or back-quoted name, or the
 *              token's source text otherwise.
 * @param number the value of a number literal.
 */
record Token(Token.Type type, int start, int end, String value, double number)
{
    enum Type
    {
        NUMBER, STRING, IDENTIFIER, QUOTED_IDENTIFIER,
        LEFT_PAREN, RIGHT_PAREN, LEFT_BRACKET, RIGHT_BRACKET, COMMA, DOT,
        PLUS, MINUS, STAR, SLASH, PERCENT,
        EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL,
        END
    }

    boolean isKeyword(final String keyword)
    {
        return Type.IDENTIFIER == type && value.equalsIgnoreCase(keyword);
    }

    /**
     * @return how an error message names this token, e.g. {@code ')'}, {@code string 'FR'}, {@code end of expression}.
     */
    String describe(final String text)
    {
        switch (type)
        {
            case END:
                return "end of expression";
            case STRING:
                return "string " + text.substring(start, end);
            case NUMBER:
                return "number " + text.substring(start, end);
            default:
                return "'" + text.substring(start, end) + "'";
        }
    }
}
