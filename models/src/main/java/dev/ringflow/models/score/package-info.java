/**
 * Scoring with a trained model: {@link dev.ringflow.models.score.ModelLoader} reads a model file (XGBoost JSON, LightGBM
 * text, Ringflow's linear JSON), tells the format apart by content, validates it and returns an immutable
 * {@link dev.ringflow.models.score.Model} whose {@code score(double[])} allocates nothing.
 * <p>
 * Loading happens off the hot path (a control thread) and may allocate; a loaded model is shared by every worker.
 * The formats, their validation rules and how to export them are in docs/models.md.
 */
package dev.ringflow.models.score;
