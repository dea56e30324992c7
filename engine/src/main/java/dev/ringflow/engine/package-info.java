/**
 * The engine: a pipeline runs as a source thread publishing into a Disruptor ring of preallocated
 * {@link dev.ringflow.engine.EventSlot}s, a worker running the pipeline's fused stages, and a sink thread.
 * Sources and sinks are interfaces ({@link dev.ringflow.engine.Source}, {@link dev.ringflow.engine.Sink}); this
 * module knows no Kafka.
 */
package dev.ringflow.engine;
