package dev.ringflow.io.journal;

import dev.ringflow.engine.EventSlot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Inputs the journal tests append, and the values a journal holds, read back in order. */
final class JournalTestRecords
{
    private JournalTestRecords()
    {
    }

    /** An input of topic {@code in}, partition 0, key {@code k}, at {@code offset} (also its timestamp). */
    static EventSlot input(final long offset, final String value)
    {
        return new EventSlot().input("in", 0, offset, offset, "k".getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8));
    }

    /** The values of the inputs the journal in {@code dir} holds, in journal order. */
    static List<String> values(final Path dir)
    {
        final List<String> values = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            final EventSlot slot = new EventSlot();
            while (reader.next(slot))
            {
                values.add(slot.input().toUtf8String());
            }
        }
        return values;
    }
}
