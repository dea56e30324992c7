/**
 * User functions from outside the engine: loading their classes from the plugins directory, opening them with a
 * {@link dev.ringflow.api.FunctionContext}, and the handles they resolve. The stage that runs them is
 * {@code dev.ringflow.engine.stage.FunctionStage}.
 */
package dev.ringflow.engine.function;
