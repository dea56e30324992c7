/**
 * The pipeline model: {@link dev.ringflow.engine.pipeline.PipelineSpec} and its parts, read from a YAML file by
 * {@link dev.ringflow.engine.pipeline.PipelineFile} or built in code by
 * {@link dev.ringflow.engine.pipeline.PipelineBuilder}, validated by the same rules either way.
 */
package dev.ringflow.engine.pipeline;
