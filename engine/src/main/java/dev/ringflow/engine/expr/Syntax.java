package dev.ringflow.engine.expr;

import java.util.List;

/**
 * A node of an expression's untyped syntax tree, spanning {@code start} (inclusive) to {@code end} (exclusive)
 * char indexes of the text; {@link #toString()} prints it fully parenthesised.
 * <p>
 * <b>Note:</b> Compile time only; immutable.
 */
abstract class Syntax
{
    enum Operator
    {
        OR("or"), AND("and"),
        EQUAL("="), NOT_EQUAL("!="), LESS("<"), LESS_EQUAL("<="), GREATER(">"), GREATER_EQUAL(">="),
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), REMAINDER("%");

        final String symbol;

        Operator(final String symbol)
        {
            this.symbol = symbol;
        }

        boolean isArithmetic()
        {
            return ADD == this || SUBTRACT == this || MULTIPLY == this || DIVIDE == this || REMAINDER == this;
        }
    }

    final int start;
    final int end;
    /** Nodes on the longest path from here to a leaf, this one included. */
    final int depth;

    Syntax(final int start, final int end, final int depth)
    {
        this.start = start;
        this.end = end;
        this.depth = depth;
    }

    static final class NumberLiteral extends Syntax
    {
        final double value;
        final String literal;

        NumberLiteral(final int start, final int end, final double value, final String literal)
        {
            super(start, end, 1);
            this.value = value;
            this.literal = literal;
        }

        @Override
        public String toString()
        {
            return literal;
        }
    }

    static final class StringLiteral extends Syntax
    {
        final String value;

        StringLiteral(final int start, final int end, final String value)
        {
            super(start, end, 1);
            this.value = value;
        }

        @Override
        public String toString()
        {
            return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
    }

    static final class BooleanLiteral extends Syntax
    {
        final boolean value;

        BooleanLiteral(final int start, final int end, final boolean value)
        {
            super(start, end, 1);
            this.value = value;
        }

        @Override
        public String toString()
        {
            return Boolean.toString(value);
        }
    }

    static final class NullLiteral extends Syntax
    {
        NullLiteral(final int start, final int end)
        {
            super(start, end, 1);
        }

        @Override
        public String toString()
        {
            return "null";
        }
    }

    static final class FieldReference extends Syntax
    {
        final String path;

        FieldReference(final int start, final int end, final String path)
        {
            super(start, end, 1);
            this.path = path;
        }

        @Override
        public String toString()
        {
            return path;
        }
    }

    static final class Negate extends Syntax
    {
        final Syntax operand;

        Negate(final int start, final Syntax operand)
        {
            super(start, operand.end, operand.depth + 1);
            this.operand = operand;
        }

        @Override
        public String toString()
        {
            return "(-" + operand + ")";
        }
    }

    static final class Not extends Syntax
    {
        final Syntax operand;

        Not(final int start, final Syntax operand)
        {
            super(start, operand.end, operand.depth + 1);
            this.operand = operand;
        }

        @Override
        public String toString()
        {
            return "(not " + operand + ")";
        }
    }

    static final class Binary extends Syntax
    {
        final Operator operator;
        final Syntax left;
        final Syntax right;

        Binary(final Operator operator, final Syntax left, final Syntax right)
        {
            super(left.start, right.end, Math.max(left.depth, right.depth) + 1);
            this.operator = operator;
            this.left = left;
            this.right = right;
        }

        @Override
        public String toString()
        {
            return "(" + left + " " + operator.symbol + " " + right + ")";
        }
    }

    static final class InList extends Syntax
    {
        final Syntax operand;
        final boolean negated;
        /** Literals only. */
        final List<Syntax> elements;

        InList(final Syntax operand, final boolean negated, final List<Syntax> elements, final int end)
        {
            super(operand.start, end, operand.depth + 1);
            this.operand = operand;
            this.negated = negated;
            this.elements = List.copyOf(elements);
        }

        @Override
        public String toString()
        {
            final String list = elements.toString();
            return "(" + operand + (negated ? " not in " : " in ") + list + ")";
        }
    }

    static final class IsNull extends Syntax
    {
        final Syntax operand;
        final boolean negated;

        IsNull(final Syntax operand, final boolean negated, final int end)
        {
            super(operand.start, end, operand.depth + 1);
            this.operand = operand;
            this.negated = negated;
        }

        @Override
        public String toString()
        {
            return "(" + operand + (negated ? " is not null)" : " is null)");
        }
    }

    static final class Call extends Syntax
    {
        final String name;
        final List<Syntax> arguments;

        Call(final int start, final int end, final String name, final List<Syntax> arguments)
        {
            super(start, end, maxDepth(arguments) + 1);
            this.name = name;
            this.arguments = List.copyOf(arguments);
        }

        @Override
        public String toString()
        {
            final String list = arguments.toString();
            return name + "(" + list.substring(1, list.length() - 1) + ")";
        }

        private static int maxDepth(final List<Syntax> arguments)
        {
            int depth = 0;
            for (final Syntax argument : arguments)
            {
                depth = Math.max(depth, argument.depth);
            }
            return depth;
        }
    }
}
