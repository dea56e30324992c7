package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;

import java.util.List;

/**
 * Keeps only the named top-level fields of each event ({@code select}), or removes them ({@code drop}).
 */
final class SelectStage extends FieldStage
{
    private final int[] fields;
    private final boolean drop;
    private boolean[] keep;

    SelectStage(final List<String> names, final boolean drop, final JsonEvents events)
    {
        super(events);
        this.drop = drop;
        fields = new int[names.size()];
        for (int i = 0; i < fields.length; i++)
        {
            fields[i] = events.table().fieldId(names.get(i));
        }
    }

    @Override
    boolean onEvent(final JsonEvent event, final RecordBuffer in, final int index, final OutputList outputs)
    {
        if (drop)
        {
            for (final int field : fields)
            {
                event.drop(field);
            }
        }
        else
        {
            event.select(keepMask());
        }
        return true;
    }

    /** Built on first use: only then are all the pipeline's fields numbered. */
    private boolean[] keepMask()
    {
        if (null == keep)
        {
            keep = new boolean[events.table().size()];
            for (final int field : fields)
            {
                keep[field] = true;
            }
        }
        return keep;
    }
}
