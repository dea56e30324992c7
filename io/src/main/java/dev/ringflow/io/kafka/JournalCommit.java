package dev.ringflow.io.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * The metadata Ringflow stores with committed offsets under exactly-once delivery:
 * {@code ringflow-journal=<journal id>@<journal index>}, the index of the commit marker whose transaction
 * committed them. On restart, every journal record up to that index has its outputs committed, and every record
 * after it has to be produced again.
 */
public final class JournalCommit
{
    private static final String PREFIX = "ringflow-journal=";

    private JournalCommit()
    {
    }

    static String metadata(final String journalId, final long journalIndex)
    {
        return PREFIX + journalId + "@" + journalIndex;
    }

    /**
     * @return the journal index recorded in {@code offset} by the journal {@code journalId}, or -1 when it was
     * committed without one or by another journal.
     */
    public static long journalIndex(final OffsetAndMetadata offset, final String journalId)
    {
        if (null == offset || null == offset.metadata() || null == journalId)
        {
            return -1;
        }
        final String expected = PREFIX + journalId + "@";
        final String metadata = offset.metadata();
        if (!metadata.startsWith(expected))
        {
            return -1;
        }
        // Partition-scoped state adds ";ringflow-state=..." after it (see StateTopic).
        final int end = metadata.indexOf(';', expected.length());
        try
        {
            return Long.parseLong(metadata.substring(expected.length(), end < 0 ? metadata.length() : end));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
