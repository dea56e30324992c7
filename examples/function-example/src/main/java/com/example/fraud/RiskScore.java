package com.example.fraud;

import dev.ringflow.api.Emitter;
import dev.ringflow.api.FieldRef;
import dev.ringflow.api.FunctionContext;
import dev.ringflow.api.Record;
import dev.ringflow.api.RecordFunction;
import dev.ringflow.api.RouteRef;

/**
 * A stateless risk score: {@code risk_score = amount * amount-weight + card_declines * decline-weight}, plus
 * {@code foreign-weight} when the merchant's country is not the card's. Transactions scoring above
 * {@code threshold} go to the {@code high-risk} topic instead of the output; a transaction without an amount is
 * rejected (dead-lettered).
 * <p>
 * Everything by name is resolved in {@link #open}; {@link #apply} allocates nothing.
 */
public final class RiskScore implements RecordFunction
{
    private FieldRef amount;
    private FieldRef cardCountry;
    private FieldRef merchantCountry;
    private FieldRef declines;
    private FieldRef riskScore;
    private RouteRef highRisk;
    private double amountWeight;
    private double declineWeight;
    private double foreignWeight;
    private double threshold;

    @Override
    public void open(final FunctionContext context)
    {
        amountWeight = number(context, "amount-weight", 0.001);
        declineWeight = number(context, "decline-weight", 0.2);
        foreignWeight = number(context, "foreign-weight", 0.3);
        threshold = number(context, "threshold", 0.8);
        amount = context.field("amount");
        cardCountry = context.field("card_country");
        merchantCountry = context.field("merchant.country");
        declines = context.field("card_declines");
        riskScore = context.field("risk_score");
        highRisk = context.route("high-risk");
        context.logger().log(System.Logger.Level.INFO, "risk score for pipeline " + context.pipelineName() +
            ": threshold " + threshold);
    }

    @Override
    public void apply(final Record record, final Emitter out)
    {
        final double value = record.getDouble(amount);
        if (Double.isNaN(value))
        {
            out.reject("amount missing or not a number");
            return;
        }
        double score = value * amountWeight + record.getLong(declines, 0) * declineWeight;
        final CharSequence merchant = record.getString(merchantCountry);
        final CharSequence card = record.getString(cardCountry);
        if (null != merchant && null != card && !contentEquals(merchant, card))
        {
            score += foreignWeight;
        }
        record.setDouble(riskScore, score);
        if (score > threshold)
        {
            out.route(highRisk);
        }
    }

    private static boolean contentEquals(final CharSequence a, final CharSequence b)
    {
        if (a.length() != b.length())
        {
            return false;
        }
        for (int i = 0; i < a.length(); i++)
        {
            if (a.charAt(i) != b.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private static double number(final FunctionContext context, final String name, final double fallback)
    {
        final String text = context.config().get(name);
        try
        {
            return null == text ? fallback : Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            // Thrown from open, this fails the pipeline's load with the message.
            throw new IllegalArgumentException("config " + name + ": expected a number, was '" + text + "'");
        }
    }
}
