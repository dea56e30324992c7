package dev.ringflow.engine.function;

import dev.ringflow.api.Emitter;
import dev.ringflow.api.FieldKind;
import dev.ringflow.api.FieldRef;
import dev.ringflow.api.FunctionContext;
import dev.ringflow.api.KeyState;
import dev.ringflow.api.KeyedFunction;
import dev.ringflow.api.Record;
import dev.ringflow.api.RecordFunction;
import dev.ringflow.api.RouteRef;

/**
 * Functions written as a plugin author would, for the engine's tests.
 */
public final class TestFunctions
{
    private TestFunctions()
    {
    }

    /**
     * {@code risk = amount * weight + 0.5 if DECLINED}; no amount: dropped; negative: rejected; risk above 0.9:
     * routed to {@code high-risk}; country {@code XX}: copied to {@code audit}; a {@code boom} field: throws.
     */
    public static final class Risk implements RecordFunction
    {
        private FieldRef id;
        private FieldRef amount;
        private FieldRef status;
        private FieldRef country;
        private FieldRef boom;
        private FieldRef risk;
        private FieldRef level;
        private RouteRef highRisk;
        private RouteRef audit;
        private double weight;

        @Override
        public void open(final FunctionContext context)
        {
            weight = Double.parseDouble(context.config().getOrDefault("weight", "0.001"));
            id = context.field("id");
            amount = context.field("amount");
            status = context.field("status");
            country = context.field("merchant.country");
            boom = context.field("boom");
            risk = context.field("risk");
            level = context.field("level");
            highRisk = context.route("high-risk");
            audit = context.route("audit");
        }

        @Override
        public void apply(final Record record, final Emitter out)
        {
            final double value = record.getDouble(amount);
            if (Double.isNaN(value))
            {
                out.drop();
                return;
            }
            if (record.kind(boom) == FieldKind.BOOLEAN)
            {
                throw new IllegalStateException("boom at " + record.getLong(id, -1));
            }
            if (value < 0)
            {
                out.reject("negative amount");
                return;
            }
            final double score = value * weight + (record.stringEquals(status, "DECLINED") ? 0.5 : 0);
            record.setDouble(risk, score);
            record.setString(level, score > 0.9 ? "high" : "low");
            if (record.stringEquals(country, "XX"))
            {
                out.copyTo(audit);
            }
            if (score > 0.9)
            {
                out.route(highRisk);
            }
        }
    }

    /**
     * Per key: how many records, how many declined and their amounts' sum; a {@code boom} field throws after the
     * state was changed (which must not stick).
     */
    public static final class DeclineCounter implements KeyedFunction
    {
        private FieldRef amount;
        private FieldRef status;
        private FieldRef boom;
        private FieldRef seen;
        private FieldRef declinedCount;
        private FieldRef declinedSum;
        private FieldRef first;

        @Override
        public void open(final FunctionContext context)
        {
            amount = context.field("amount");
            status = context.field("status");
            boom = context.field("boom");
            seen = context.field("seen");
            declinedCount = context.field("declined_count");
            declinedSum = context.field("declined_sum");
            first = context.field("first");
        }

        @Override
        public int stateDoubles()
        {
            return 1;
        }

        @Override
        public int stateLongs()
        {
            return 2;
        }

        @Override
        public void apply(final Record record, final KeyState state, final Emitter out)
        {
            final boolean isNew = state.isNew();
            state.setLong(1, state.getLong(1) + 1);
            if (record.stringEquals(status, "DECLINED"))
            {
                state.setLong(0, state.getLong(0) + 1);
                final double value = record.getDouble(amount);
                state.setDouble(0, state.getDouble(0) + (Double.isNaN(value) ? 0 : value));
            }
            if (!record.isMissing(boom))
            {
                throw new IllegalArgumentException("boom for " + record.key());
            }
            record.setLong(seen, state.getLong(1));
            record.setLong(declinedCount, state.getLong(0));
            record.setDouble(declinedSum, state.getDouble(0));
            record.setBoolean(first, isNew);
        }
    }

    /** Throws an {@link AssertionError} on a record with a {@code fatal} field. */
    public static final class Fatal implements RecordFunction
    {
        private FieldRef fatal;

        @Override
        public void open(final FunctionContext context)
        {
            fatal = context.field("fatal");
        }

        @Override
        public void apply(final Record record, final Emitter out)
        {
            if (!record.isMissing(fatal))
            {
                throw new AssertionError("fatal record");
            }
        }
    }
}
