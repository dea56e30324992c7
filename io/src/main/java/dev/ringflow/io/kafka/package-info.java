/**
 * Kafka at the edges of a pipeline: {@link dev.ringflow.io.kafka.KafkaSource} feeds the ring from a consumer
 * group, {@link dev.ringflow.io.kafka.KafkaSink} writes results with an idempotent producer, and
 * {@link dev.ringflow.io.kafka.KafkaPipeline} wires a pipeline between topics.
 */
package dev.ringflow.io.kafka;
