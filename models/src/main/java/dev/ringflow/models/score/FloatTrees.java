package dev.ringflow.models.score;

/**
 * A layout of XGBoost trees in flat arrays that adds their leaves to a float margin.
 * <p>
 * <b>Note:</b> immutable, thread-safe, allocation free.
 */
interface FloatTrees
{
    /**
     * @param margin   the margin to start from (XGBoost's base margin).
     * @param features the row; NaN is missing. Each value is rounded to float first, as XGBoost's DMatrix stores it.
     * @return {@code margin} plus every tree's leaf for the row, added in float in tree order as XGBoost adds them.
     */
    float addLeaves(float margin, double[] features);
}
