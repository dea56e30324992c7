package dev.ringflow.api;

/**
 * A stateless function of one record: reads and sets its fields, and drops, routes or rejects it.
 * <p>
 * Written in a pipeline as {@code {type: function, class: com.example.Risk, config: {...}}}; the class needs a
 * public no-argument constructor.
 * <p>
 * <b>Note:</b> One instance per worker thread, never called concurrently. An exception thrown by {@link #apply}
 * dead-letters that record (with the exception's class and message as the reason) and the pipeline goes on; an
 * {@link Error} stops the daemon (exit 1).
 */
public interface RecordFunction
{
    /**
     * Called once before the first record, and also at load time on an instance that is then discarded (so that
     * a bad configuration stops the load): resolve fields and routes here, read the configuration, and acquire
     * nothing that needs releasing. An exception fails the load of the pipeline with its message.
     */
    default void open(final FunctionContext context)
    {
    }

    /**
     * Processes one record. When it returns normally the record goes on to the next task, as changed, unless
     * {@code out} was told otherwise.
     *
     * @param record the record; valid only during this call.
     * @param out    where the record goes; valid only during this call.
     */
    void apply(Record record, Emitter out);
}
