package dev.ringflow.engine.expr;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The obviously-correct model the compiled expressions are checked against: a tiny AST evaluated with boxing over
 * an event of nested maps, failing by exception, written from the language's rules and sharing no code with the
 * compiler. Each node also renders itself as expression text, with random keyword case, spacing and redundant
 * parentheses, and only the parentheses precedence needs.
 */
abstract class NaiveExpression
{
    enum Type
    {
        NUMBER, BOOLEAN, STRING
    }

    static final int OR = 1, AND = 2, NOT = 3, COMPARISON = 4, ADDITIVE = 5, MULTIPLICATIVE = 6, UNARY = 7,
        PRIMARY = 8;

    static final class Failure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Failure(final String reason)
        {
            super(reason, null, false, false);
        }
    }

    final Type type;
    final int level;

    NaiveExpression(final Type type, final int level)
    {
        this.type = type;
        this.level = level;
    }

    abstract Object eval(Map<String, Object> event);

    abstract String render(Random random);

    /** False for an expression whose type is open until its context decides it: a field, or an if of such. */
    boolean typed()
    {
        return true;
    }

    /**
     * @return the value of the whole expression; a NUMBER result must be finite.
     */
    Object evalTop(final Map<String, Object> event)
    {
        final Object value = eval(event);
        if (value instanceof Double && !Double.isFinite((Double)value))
        {
            final double number = (Double)value;
            throw new Failure("expression gives " + (Double.isNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity"));
        }
        return value;
    }

    double number(final Map<String, Object> event)
    {
        return (Double)eval(event);
    }

    boolean bool(final Map<String, Object> event)
    {
        return (Boolean)eval(event);
    }

    String string(final Map<String, Object> event)
    {
        return (String)eval(event);
    }

    static String inner(final NaiveExpression child, final int minimumLevel, final Random random)
    {
        final boolean parenthesise = child.level < minimumLevel || 0 == random.nextInt(12);
        return parenthesise ? "(" + space(random) + child.render(random) + space(random) + ")" : child.render(random);
    }

    static String keyword(final String keyword, final Random random)
    {
        final StringBuilder text = new StringBuilder(" ");
        for (final char c : keyword.toCharArray())
        {
            text.append(random.nextInt(4) == 0 ? Character.toUpperCase(c) : c);
        }
        return text.append(0 == random.nextInt(8) ? "\n\t" : " ").toString();
    }

    static String space(final Random random)
    {
        switch (random.nextInt(6))
        {
            case 0: return "";
            case 1: return "  ";
            case 2: return "\t";
            default: return " ";
        }
    }

    static final class Literal extends NaiveExpression
    {
        private final Object value;
        private final String text;

        private Literal(final Type type, final Object value, final String text, final int level)
        {
            super(type, level);
            this.value = value;
            this.text = text;
        }

        static Literal number(final String text)
        {
            return new Literal(Type.NUMBER, Double.parseDouble(text), text, text.startsWith("-") ? UNARY : PRIMARY);
        }

        static Literal bool(final boolean value)
        {
            return new Literal(Type.BOOLEAN, value, Boolean.toString(value), PRIMARY);
        }

        static Literal string(final String value)
        {
            return new Literal(Type.STRING, value, null, PRIMARY);
        }

        @Override
        Object eval(final Map<String, Object> event)
        {
            return value;
        }

        @Override
        String render(final Random random)
        {
            if (Type.BOOLEAN == type)
            {
                return keyword(text, random).trim();
            }
            if (Type.NUMBER == type)
            {
                return text;
            }
            final char quote = random.nextBoolean() ? '\'' : '"';
            final StringBuilder rendered = new StringBuilder().append(quote);
            for (final char c : ((String)value).toCharArray())
            {
                if ('\\' == c || quote == c || (('\'' == c || '"' == c) && random.nextBoolean()))
                {
                    rendered.append('\\');
                }
                rendered.append(c);
            }
            return rendered.append(quote).toString();
        }
    }

    static final class Field extends NaiveExpression
    {
        static final Object MISSING = new Object();

        final String path;

        Field(final String path, final Type type)
        {
            super(type, PRIMARY);
            this.path = path;
        }

        @SuppressWarnings("unchecked")
        Object raw(final Map<String, Object> event)
        {
            Object value = event;
            for (final String name : path.split("\\."))
            {
                value = value instanceof Map && ((Map<String, Object>)value).containsKey(name) ?
                    ((Map<String, Object>)value).get(name) : MISSING;
            }
            return value;
        }

        @Override
        Object eval(final Map<String, Object> event)
        {
            final Object value = raw(event);
            if (MISSING == value)
            {
                throw new Failure("field '" + path + "' is missing");
            }
            if (null == value)
            {
                throw new Failure("field '" + path + "' is null");
            }
            if (Type.NUMBER == type && value instanceof Number)
            {
                return ((Number)value).doubleValue();
            }
            if ((Type.BOOLEAN == type && value instanceof Boolean) || (Type.STRING == type && value instanceof String))
            {
                return value;
            }
            throw new Failure("field '" + path + "' is not a " + type.name().toLowerCase());
        }

        @Override
        boolean typed()
        {
            return false;
        }

        @Override
        String render(final Random random)
        {
            final StringBuilder text = new StringBuilder();
            for (final String name : path.split("\\."))
            {
                final boolean plain = name.matches("[A-Za-z_][A-Za-z0-9_]*") && !List.of("and", "or", "not", "in",
                    "is", "null", "true", "false").contains(name.toLowerCase());
                text.append(text.length() > 0 ? "." : "").append(plain && random.nextInt(8) != 0 ? name : "`" + name + "`");
            }
            return text.toString();
        }
    }
}
