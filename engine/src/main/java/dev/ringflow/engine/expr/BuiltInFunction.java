package dev.ringflow.engine.expr;

import java.util.List;
import java.util.Locale;

/**
 * The function table: each function's name, number of arguments, result type, and how its call compiles to a
 * node. A new function is one more constant here (and its node class).
 * <p>
 * <b>Note:</b> Compile time only; names are matched case-insensitively.
 */
enum BuiltInFunction
{
    ABS(1, 1, FieldType.NUMBER)
    {
        @Override
        Node compile(final ExpressionCompiler compiler, final List<Syntax> arguments, final FieldType expected)
        {
            return new MathNodes.Abs(compiler.number(arguments.get(0)));
        }
    },
    MIN(2, Integer.MAX_VALUE, FieldType.NUMBER)
    {
        @Override
        Node compile(final ExpressionCompiler compiler, final List<Syntax> arguments, final FieldType expected)
        {
            return new MathNodes.Min(compiler.numbers(arguments));
        }
    },
    MAX(2, Integer.MAX_VALUE, FieldType.NUMBER)
    {
        @Override
        Node compile(final ExpressionCompiler compiler, final List<Syntax> arguments, final FieldType expected)
        {
            return new MathNodes.Max(compiler.numbers(arguments));
        }
    },
    LOG(1, 1, FieldType.NUMBER)
    {
        @Override
        Node compile(final ExpressionCompiler compiler, final List<Syntax> arguments, final FieldType expected)
        {
            return new MathNodes.Log(compiler.number(arguments.get(0)));
        }
    },
    EXP(1, 1, FieldType.NUMBER)
    {
        @Override
        Node compile(final ExpressionCompiler compiler, final List<Syntax> arguments, final FieldType expected)
        {
            return new MathNodes.Exp(compiler.number(arguments.get(0)));
        }
    },
    SQRT(1, 1, FieldType.NUMBER)
    {
        @Override
        Node compile(final ExpressionCompiler compiler, final List<Syntax> arguments, final FieldType expected)
        {
            return new MathNodes.Sqrt(compiler.number(arguments.get(0)));
        }
    },
    /**
     * {@code if(condition, then, otherwise)}: the branches have one type, the first one known of: either branch's
     * own type, the type the context expects, or NUMBER.
     */
    IF(3, 3, FieldType.UNKNOWN)
    {
        @Override
        FieldType resultType(final ExpressionCompiler compiler, final List<Syntax> arguments)
        {
            final FieldType then = compiler.inferredType(arguments.get(1));
            return FieldType.UNKNOWN != then ? then : compiler.inferredType(arguments.get(2));
        }

        @Override
        Node compile(final ExpressionCompiler compiler, final List<Syntax> arguments, final FieldType expected)
        {
            final BooleanNode condition = compiler.bool(arguments.get(0));
            final FieldType inferred = resultType(compiler, arguments);
            final FieldType type = FieldType.UNKNOWN != inferred ? inferred :
                FieldType.UNKNOWN != expected ? expected : FieldType.NUMBER;
            final Node then = compiler.as(arguments.get(1), type);
            final Node otherwise = compiler.as(arguments.get(2), type);
            switch (type)
            {
                case NUMBER:
                    return new ConditionalNodes.NumberIf(condition, (NumberNode)then, (NumberNode)otherwise);
                case BOOLEAN:
                    return new ConditionalNodes.BooleanIf(condition, (BooleanNode)then, (BooleanNode)otherwise);
                default:
                    return new ConditionalNodes.StringIf(condition, (StringNode)then, (StringNode)otherwise);
            }
        }
    },
    LOWER(1, 1, FieldType.STRING)
    {
        @Override
        Node compile(final ExpressionCompiler compiler, final List<Syntax> arguments, final FieldType expected)
        {
            return new StringNodes.Lower(compiler.string(arguments.get(0)));
        }
    },
    STARTS_WITH(2, 2, FieldType.BOOLEAN)
    {
        @Override
        Node compile(final ExpressionCompiler compiler, final List<Syntax> arguments, final FieldType expected)
        {
            return new StringNodes.StartsWith(compiler.string(arguments.get(0)), compiler.string(arguments.get(1)));
        }
    };

    private static final BuiltInFunction[] FUNCTIONS = values();

    final String functionName = name().toLowerCase(Locale.ROOT);
    private final int minArguments;
    private final int maxArguments;
    private final FieldType resultType;

    BuiltInFunction(final int minArguments, final int maxArguments, final FieldType resultType)
    {
        this.minArguments = minArguments;
        this.maxArguments = maxArguments;
        this.resultType = resultType;
    }

    /**
     * @return the function, or null if there is none of that name.
     */
    static BuiltInFunction find(final String name)
    {
        for (final BuiltInFunction function : FUNCTIONS)
        {
            if (function.functionName.equalsIgnoreCase(name))
            {
                return function;
            }
        }
        return null;
    }

    boolean accepts(final int argumentCount)
    {
        return argumentCount >= minArguments && argumentCount <= maxArguments;
    }

    /**
     * @return e.g. {@code "takes 1 argument"}, {@code "takes at least 2 arguments"}.
     */
    String arity()
    {
        final String noun = 1 == maxArguments ? " argument" : " arguments";
        if (minArguments == maxArguments)
        {
            return "takes " + minArguments + noun;
        }
        return Integer.MAX_VALUE == maxArguments ? "takes at least " + minArguments + noun :
            "takes " + minArguments + " to " + maxArguments + noun;
    }

    /**
     * @param arguments as many as {@link #accepts} accepts.
     * @return the type of a call's result, or {@link FieldType#UNKNOWN} if its arguments leave it open.
     */
    FieldType resultType(final ExpressionCompiler compiler, final List<Syntax> arguments)
    {
        return resultType;
    }

    /**
     * @param arguments as many as {@link #accepts} accepts.
     * @param expected  the type the call's context expects, or {@link FieldType#UNKNOWN}.
     */
    abstract Node compile(ExpressionCompiler compiler, List<Syntax> arguments, FieldType expected);
}
