/**
 * Models in the stream: evaluators for linear/logistic models and tree ensembles (XGBoost JSON, LightGBM text), anomaly
 * detectors and online learners. Pure: no threads, no I/O on the scoring path, no clock. Loading and validating a model
 * may allocate; scoring allocates nothing.
 */
package dev.ringflow.models;
