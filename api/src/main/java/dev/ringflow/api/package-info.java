/**
 * The public API of user functions: the {@code function} task of a pipeline runs a class written against these
 * interfaces, loaded by name from a jar in the pipeline's plugins directory.
 * <p>
 * A function implements {@link dev.ringflow.api.RecordFunction} (stateless) or
 * {@link dev.ringflow.api.KeyedFunction} (with a fixed-size primitive state per key that Ringflow snapshots and
 * restores). In {@code open} it resolves the fields and routes it uses into handles
 * ({@link dev.ringflow.api.FunctionContext#field}, {@link dev.ringflow.api.FunctionContext#route}); in
 * {@code apply} it reads and sets fields of the {@link dev.ringflow.api.Record} through them and decides the
 * record's fate through the {@link dev.ringflow.api.Emitter}. A function written this way allocates nothing per
 * record.
 * <p>
 * <b>Note:</b> Every call on one instance comes from one worker thread; each worker has its own instance. Replay
 * gives the same outputs only if {@code apply} depends on nothing but the record, the state and the configuration:
 * the only time a function should use is {@link dev.ringflow.api.Record#timestampMs()}.
 */
package dev.ringflow.api;
