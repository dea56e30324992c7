package dev.ringflow.engine.stage;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;

import java.util.Arrays;

/**
 * The input events a {@link PipelineProcessor} holds at its batching score task, in parking order: each one's slot,
 * its records at that task and its outputs so far.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free once grown to the batch size.
 */
final class ParkedEvents
{
    private EventSlot[] slots = new EventSlot[0];
    private RecordBuffer[] records = new RecordBuffer[0];
    private OutputList[] outputs = new OutputList[0];
    private int count;

    int count()
    {
        return count;
    }

    /**
     * Parks {@code slot} as the next event, its outputs started.
     *
     * @param capacity how many events a batch parks, the first growth's size.
     * @return its index.
     */
    int add(final EventSlot slot, final int capacity)
    {
        if (count == slots.length)
        {
            final int grown = Math.max(capacity, count << 1);
            slots = Arrays.copyOf(slots, grown);
            records = Arrays.copyOf(records, grown);
            outputs = Arrays.copyOf(outputs, grown);
            for (int i = count; i < grown; i++)
            {
                records[i] = new RecordBuffer();
                outputs[i] = new OutputList();
            }
        }
        slots[count] = slot;
        outputs[count].startEvent(slot);
        return count++;
    }

    EventSlot slot(final int index)
    {
        return slots[index];
    }

    OutputList outputs(final int index)
    {
        return outputs[index];
    }

    /** Puts {@code buffer} in event {@code index}'s place and returns the buffer that was there. */
    RecordBuffer exchangeRecords(final int index, final RecordBuffer buffer)
    {
        final RecordBuffer previous = records[index];
        records[index] = buffer;
        return previous;
    }

    /** Event {@code index} is finished; after the last one, none is parked. */
    void finished(final int index)
    {
        slots[index] = null;
        if (index == count - 1)
        {
            count = 0;
        }
    }
}
