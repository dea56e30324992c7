package dev.ringflow.windows;

import java.io.IOException;
import java.io.DataOutput;

import java.io.DataInput;

/**
 * A running double sum with Neumaier compensation: the rounding error of each add is carried separately, so adding
 * and subtracting many values keeps the error near one rounding of the true sum.
 * <p>
 * <b>Note:</b> Not thread-safe; allocation free.
 */
final class CompensatedSum
{
    private double sum;
    private double compensation;

    void add(final double value)
    {
        final double t = sum + value;
        if (Math.abs(sum) >= Math.abs(value))
        {
            compensation += (sum - t) + value;
        }
        else
        {
            compensation += (value - t) + sum;
        }
        sum = t;
    }

    double value()
    {
        return sum + compensation;
    }

    void reset()
    {
        sum = 0;
        compensation = 0;
    }

    void writeState(final DataOutput out) throws IOException
    {
        out.writeDouble(sum);
        out.writeDouble(compensation);
    }

    void readState(final DataInput in) throws IOException
    {
        sum = in.readDouble();
        compensation = in.readDouble();
    }
}
