package com.example.fraud;

import dev.ringflow.api.Emitter;
import dev.ringflow.api.FieldRef;
import dev.ringflow.api.FunctionContext;
import dev.ringflow.api.KeyState;
import dev.ringflow.api.KeyedFunction;
import dev.ringflow.api.Record;

/**
 * Per card (the record key, or {@code source.key-field}): how many transactions it made and how many were
 * declined, as {@code card_txns} and {@code card_declines} on every transaction (this one included). The counts are
 * two {@code long} slots of the card's state, which Ringflow snapshots and restores.
 */
public final class DeclineCounter implements KeyedFunction
{
    private static final int DECLINES = 0;
    private static final int TRANSACTIONS = 1;

    private FieldRef status;
    private FieldRef cardTransactions;
    private FieldRef cardDeclines;

    @Override
    public void open(final FunctionContext context)
    {
        status = context.field("status");
        cardTransactions = context.field("card_txns");
        cardDeclines = context.field("card_declines");
    }

    @Override
    public int stateLongs()
    {
        return 2;
    }

    @Override
    public void apply(final Record record, final KeyState state, final Emitter out)
    {
        state.setLong(TRANSACTIONS, state.getLong(TRANSACTIONS) + 1);
        if (record.stringEquals(status, "DECLINED"))
        {
            state.setLong(DECLINES, state.getLong(DECLINES) + 1);
        }
        record.setLong(cardTransactions, state.getLong(TRANSACTIONS));
        record.setLong(cardDeclines, state.getLong(DECLINES));
    }
}
