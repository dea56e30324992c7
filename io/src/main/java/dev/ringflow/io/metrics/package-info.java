/**
 * The daemon's HTTP endpoint: Prometheus metrics, liveness and readiness, and the JSON the {@code ringflow status}
 * command reads. {@link dev.ringflow.io.metrics.MetricsServer} serves; a
 * {@link dev.ringflow.io.metrics.PipelineMetrics} per running pipeline reads the engine's and the Kafka clients'
 * figures. See docs/operations.md for every metric.
 */
package dev.ringflow.io.metrics;
