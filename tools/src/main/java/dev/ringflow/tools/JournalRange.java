package dev.ringflow.tools;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.io.journal.JournalReader;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A journal range from {@code --from}/{@code --to} options: each bound is a journal index (a number, as
 * {@code journal dump} prints) or an ISO-8601 time compared with the records' timestamps.
 */
final class JournalRange
{
    final long fromIndex;
    final long toIndex;

    private JournalRange(final long fromIndex, final long toIndex)
    {
        this.fromIndex = fromIndex;
        this.toIndex = toIndex;
    }

    static JournalRange resolve(final CommandLine commandLine, final Path journal, final String from, final String to)
    {
        final Long fromIndex = index(from);
        final Long toIndex = index(to);
        final Instant fromTime = null == fromIndex ? time(commandLine, "--from", from) : null;
        final Instant toTime = null == toIndex ? time(commandLine, "--to", to) : null;
        long first = null != fromIndex ? fromIndex : Long.MIN_VALUE;
        long last = null != toIndex ? toIndex : Long.MAX_VALUE;
        if (null != fromTime || null != toTime)
        {
            // Times map to indexes by one pass over the records' timestamps.
            long firstAtOrAfter = Long.MAX_VALUE;
            long lastAtOrBefore = Long.MIN_VALUE;
            try (JournalReader reader = JournalReader.open(journal))
            {
                final EventSlot record = new EventSlot();
                while (reader.next(record))
                {
                    if (record.isTick() || record.isCommitMarker() || record.isChange())
                    {
                        continue;
                    }
                    if (null != fromTime && firstAtOrAfter == Long.MAX_VALUE &&
                        record.timestampMs() >= fromTime.toEpochMilli())
                    {
                        firstAtOrAfter = reader.index();
                    }
                    if (null != toTime && record.timestampMs() <= toTime.toEpochMilli())
                    {
                        lastAtOrBefore = reader.index();
                    }
                }
            }
            if (null != fromTime)
            {
                first = firstAtOrAfter;
            }
            if (null != toTime)
            {
                last = lastAtOrBefore;
            }
        }
        return new JournalRange(first, last);
    }

    boolean contains(final long index)
    {
        return index >= fromIndex && index <= toIndex;
    }

    private static Long index(final String bound)
    {
        if (null == bound || !bound.matches("\\d+"))
        {
            return null;
        }
        return Long.parseLong(bound);
    }

    private static Instant time(final CommandLine commandLine, final String option, final String bound)
    {
        if (null == bound)
        {
            return null;
        }
        try
        {
            return Instant.parse(bound);
        }
        catch (final DateTimeParseException ex)
        {
            throw new CommandLine.ParameterException(commandLine, option + ": expected a journal index (digits) " +
                "or an ISO-8601 time such as 2026-11-25T10:00:00Z, was '" + bound + "'");
        }
    }
}
