package dev.ringflow.models.score;

/**
 * One XGBoost tree as its JSON stores it, already checked by {@link TreeShape}: node {@code i} is a leaf when
 * {@code leaf[i]}, whose value is {@code value[i]}; else it sends {@code x} to {@code left[i]} when
 * {@code (float) x < value[i]}, to {@code left[i]} when x is NaN and {@code defaultLeft[i]}, else to {@code right[i]}.
 */
record XgboostTree(int[] left, int[] right, int[] feature, float[] value, boolean[] defaultLeft, boolean[] leaf, int depth)
{
}
