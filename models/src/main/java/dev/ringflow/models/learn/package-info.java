/**
 * Online learning in the stream: logistic regression trained by SGD one labelled event at a time, per pipeline or
 * per key ({@link dev.ringflow.models.learn.LogisticSgdLearner}), with prequential log-loss and AUC over the last
 * labelled events ({@link dev.ringflow.models.learn.PrequentialMetrics}) and export to Ringflow's linear model JSON
 * ({@link dev.ringflow.models.learn.LinearModelExport}). Learning is deterministic: the same events in the same order
 * give the same weights, bit for bit, so a replay reproduces them.
 */
package dev.ringflow.models.learn;
