package dev.ringflow.models.score;

/**
 * The formats {@link ModelLoader} reads, as they are told apart by content (never by file name).
 */
public enum ModelKind
{
    /** XGBoost's JSON model ({@code booster.save_model("m.json")}), gbtree booster. */
    XGBOOST_JSON,
    /** LightGBM's text model ({@code booster.save_model("m.txt")}). */
    LIGHTGBM_TEXT,
    /** Ringflow's own linear / logistic JSON ({@code "format": "ringflow-linear"}). */
    RINGFLOW_LINEAR,
    /** An ONNX model ({@code ModelProto}), scored by ONNX Runtime in the separate {@code ringflow-onnx} module. */
    ONNX
}
