package dev.ringflow.engine.stage;

import dev.ringflow.api.KeyedFunction;
import dev.ringflow.api.RecordFunction;
import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.function.FunctionClasses;
import dev.ringflow.engine.function.FunctionError;
import dev.ringflow.engine.function.OpeningContext;
import dev.ringflow.engine.pipeline.FunctionTaskSpec;
import dev.ringflow.engine.pipeline.SourceSpec;
import dev.ringflow.windows.SnapshotMismatchException;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The {@code function} task: runs a user's {@link RecordFunction} or {@link KeyedFunction} on each JSON event and
 * carries out what it decided (go on, drop, route, reject).
 * <p>
 * An exception from the function dead-letters that record with the reason {@code function <class> threw
 * <exception>: <message>} (logged through {@link FunctionErrorLog}); its routes are not sent and its key's state is
 * left as it was. An {@link Error} stops the worker as a {@link FunctionError} naming the function (an
 * {@link OutOfMemoryError} as itself).
 * <p>
 * <b>Note:</b> Worker thread only; its own function instance. Allocation free in steady state when the function
 * is (exceptions allocate).
 */
final class FunctionStage extends FieldStage
{
    private static final String BAD_KEY = "the key field is missing or not a string or number";

    private final String className;
    private final RecordFunction function;
    private final KeyedFunction keyedFunction;
    private final FunctionRecord record;
    private final FunctionKeyState state;
    private final KeyInterner keys;
    private final int keyField;
    private final ByteSlice key = new ByteSlice();
    private final FunctionErrorLog errors;

    FunctionStage(final FunctionTaskSpec spec, final SourceSpec source, final String pipelineName,
        final JsonEvents events)
    {
        super(events);
        className = spec.className();
        if (null == spec.functionClass())
        {
            throw new IllegalStateException("the class of function " + className + " is not loaded: load the " +
                "pipeline with PipelineFile, or build the task with FunctionTaskSpec.of");
        }
        final Object instance = FunctionClasses.newInstance(spec.functionClass());
        final FieldTable table = events.table();
        final OpeningContext context = new OpeningContext(pipelineName, className, spec.config(), spec.routes(),
            table::fieldId);
        if (instance instanceof KeyedFunction keyed)
        {
            keyedFunction = keyed;
            function = null;
            keyed.open(context);
            state = new FunctionKeyState(keyed.stateDoubles(), keyed.stateLongs());
            keys = new KeyInterner();
            keyField = null == source.keyField() ? -1 : table.fieldId(source.keyField());
        }
        else
        {
            function = (RecordFunction)instance;
            keyedFunction = null;
            function.open(context);
            state = null;
            keys = null;
            keyField = -1;
        }
        context.close();
        record = new FunctionRecord(context.fields().size());
        errors = new FunctionErrorLog(className);
    }

    @Override
    boolean onEvent(final JsonEvent event, final RecordBuffer in, final int index, final OutputList outputs)
    {
        final FunctionRecord record = this.record;
        final long timeMs = in.timeMs(index);
        try
        {
            if (null != function)
            {
                record.begin(event, in.key(index), timeMs);
                function.apply(record, record);
            }
            else
            {
                final ByteSlice recordKey = keyField < 0 ? in.key(index) : event.copyKey(keyField, key, events) ?
                    key : null;
                if (null == recordKey)
                {
                    outputs.deadLetter(BAD_KEY);
                    return false;
                }
                state.begin(keys.intern(recordKey));
                record.begin(event, recordKey, timeMs);
                keyedFunction.apply(record, state, record);
                state.commit();
            }
        }
        catch (final OutOfMemoryError ex)
        {
            throw ex;
        }
        catch (final Error ex)
        {
            throw new FunctionError(className, ex);
        }
        catch (final Exception ex)
        {
            errors.onException(ex);
            outputs.deadLetter("function " + className + " threw " + ex);
            return false;
        }
        if (null != record.rejectReason())
        {
            outputs.deadLetter(record.rejectReason());
            return false;
        }
        for (int r = 0, routes = record.routeCount(); r < routes; r++)
        {
            final int routed = outputs.add(OutputList.ROUTED, timeMs, record.routeTopic(r));
            outputs.key(routed).set(in.key(index));
            events.write(event, outputs.value(routed));
        }
        return record.goesOn();
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        out.writeUTF(className);
        if (null != state)
        {
            keys.writeState(out);
            state.writeState(out, keys.idLimit());
        }
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        final String saved = in.readUTF();
        if (!saved.equals(className))
        {
            throw new SnapshotMismatchException("the snapshot's function is " + saved + ", the pipeline's is " +
                className);
        }
        if (null != state)
        {
            keys.readState(in);
            state.readState(in);
        }
    }
}
