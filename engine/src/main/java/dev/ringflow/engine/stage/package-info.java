/**
 * Pipeline tasks compiled to allocation-free stages, fused by {@link dev.ringflow.engine.stage.PipelineProcessor}
 * into one pass per event on the worker thread.
 */
package dev.ringflow.engine.stage;
