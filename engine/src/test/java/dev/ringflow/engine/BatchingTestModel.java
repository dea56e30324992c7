package dev.ringflow.engine;

import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelKind;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real model that says it scores batches for less per row, as an ONNX model does, and counts its batch calls:
 * for testing the score task's batching in the engine module, which does not depend on ONNX Runtime. Every score
 * is the wrapped model's.
 */
public final class BatchingTestModel implements Model
{
    private final Model model;
    private final int batchRows;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong singleRows = new AtomicLong();
    private volatile int largestCall;

    public BatchingTestModel(final Model model, final int batchRows)
    {
        this.model = model;
        this.batchRows = batchRows;
    }

    /** Batch calls so far. */
    public long calls()
    {
        return calls.get();
    }

    /** Rows scored by batch calls so far. */
    public long rows()
    {
        return rows.get();
    }

    /** Rows scored one by one so far. */
    public long singleRows()
    {
        return singleRows.get();
    }

    /** The most rows one batch call scored. */
    public int largestCall()
    {
        return largestCall;
    }

    @Override
    public int preferredBatchRows()
    {
        return batchRows;
    }

    @Override
    public void scoreBatch(final double[][] rows, final int count, final double[] scores)
    {
        calls.incrementAndGet();
        this.rows.addAndGet(count);
        largestCall = Math.max(largestCall, count);
        for (int i = 0; i < count; i++)
        {
            scores[i] = model.score(rows[i]);
        }
    }

    @Override
    public double score(final double[] features)
    {
        singleRows.incrementAndGet();
        return model.score(features);
    }

    @Override
    public ModelKind kind()
    {
        return model.kind();
    }

    @Override
    public String version()
    {
        return model.version();
    }

    @Override
    public String sourceName()
    {
        return model.sourceName();
    }

    @Override
    public List<String> featureNames()
    {
        return model.featureNames();
    }

    @Override
    public boolean declaresFeatureNames()
    {
        return model.declaresFeatureNames();
    }

    @Override
    public int featureCount()
    {
        return model.featureCount();
    }

    @Override
    public boolean handlesMissing()
    {
        return model.handlesMissing();
    }
}
