package dev.ringflow.engine.json;

import java.util.ArrayList;
import java.util.List;

/** Counts checks and keeps the first 20 failures, each with the value's bits so it can be reproduced. */
final class CheckFailures
{
    private final List<String> failures = new ArrayList<>();
    private long checked;
    private long failed;

    void count()
    {
        checked++;
    }

    void add(final double value, final String text, final String why)
    {
        if (++failed <= 20)
        {
            failures.add(Double.toString(value) + " (0x" + Long.toHexString(Double.doubleToRawLongBits(value)) +
                ") -> " + text + ": " + why);
        }
    }

    /** The failures kept, and how many more there were; empty if none. */
    List<String> list()
    {
        final List<String> list = new ArrayList<>(failures);
        if (failed > failures.size())
        {
            list.add((failed - failures.size()) + " more");
        }
        return list;
    }

    long checked()
    {
        return checked;
    }
}
