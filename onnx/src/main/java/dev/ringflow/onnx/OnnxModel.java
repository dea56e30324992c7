package dev.ringflow.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelKind;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ONNX model scored by ONNX Runtime: one float input {@code [rows, features]}, one float output whose last column
 * (a classifier's positive-class probability, {@code probabilities[:, 1]}) or single value (a regression, or a
 * model that outputs its score directly) is the score. {@link #scoreBatch} scores up to {@link #maxBatchRows()} rows
 * in one native call, when the model's batch dimension is not fixed at one row.
 * <p>
 * <b>Note:</b> thread-safe: the session is shared (ONNX Runtime's {@code run} is thread-safe) and each thread keeps
 * its own pinned input and output tensors, made on its first call. Not allocation free: each native call allocates
 * ONNX Runtime's result objects (a few hundred bytes, measured by {@code OnnxScoreBenchmark}), however many rows it
 * scores. Scoring never throws: a failed native call gives NaN for its rows and counts in {@link #failedCalls()}
 * (a model that loaded and runs on well-shaped input should never fail). The session is closed when the model is no longer
 * reachable.
 */
public final class OnnxModel implements Model
{
    /** The most rows one native call scores; larger batches take several calls. */
    public static final int MAX_BATCH_ROWS = 256;

    private final String sourceName;
    private final String version;
    private final List<String> featureNames;
    private final boolean declaresFeatureNames;
    private final boolean handlesMissing;
    private final OrtSession session;
    private final int column;
    private final int maxBatchRows;
    private final ThreadLocal<OnnxRowBuffers> buffers;
    private final AtomicLong failedCalls = new AtomicLong();

    OnnxModel(
        final OnnxModelReader.Shape shape,
        final String sourceName,
        final String version,
        final List<String> featureNames,
        final boolean declaresFeatureNames,
        final boolean handlesMissing)
    {
        this.sourceName = sourceName;
        this.version = version;
        this.featureNames = List.copyOf(featureNames);
        this.declaresFeatureNames = declaresFeatureNames;
        this.handlesMissing = handlesMissing;
        this.session = shape.session();
        this.column = shape.outputWidth() - 1;
        this.maxBatchRows = shape.fixedSingleRow() ? 1 : MAX_BATCH_ROWS;
        final OnnxResources resources = shape.resources();
        final int rows = maxBatchRows;
        final int features = featureNames.size();
        buffers = ThreadLocal.withInitial(() -> new OnnxRowBuffers(shape.environment(), shape.inputName(),
            shape.outputName(), features, shape.outputWidth(), shape.outputIsMatrix(), rows, resources::closeLater));
        resources.closeWhenUnreachable(this);
    }

    @Override
    public ModelKind kind()
    {
        return ModelKind.ONNX;
    }

    @Override
    public String version()
    {
        return version;
    }

    @Override
    public String sourceName()
    {
        return sourceName;
    }

    @Override
    public List<String> featureNames()
    {
        return featureNames;
    }

    @Override
    public boolean declaresFeatureNames()
    {
        return declaresFeatureNames;
    }

    @Override
    public int featureCount()
    {
        return featureNames.size();
    }

    @Override
    public boolean handlesMissing()
    {
        return handlesMissing;
    }

    /**
     * @return the most rows one native call scores: 1 for a model whose batch dimension is fixed at one row.
     */
    public int maxBatchRows()
    {
        return maxBatchRows;
    }

    /** The native call's fixed cost is shared by the rows of a batch: as many as one call takes. */
    @Override
    public int preferredBatchRows()
    {
        return maxBatchRows;
    }

    @Override
    public double score(final double[] features)
    {
        final OnnxRowBuffers buffers = this.buffers.get();
        final int count = featureNames.size();
        for (int j = 0; j < count; j++)
        {
            buffers.put(0, j, features[j]);
        }
        return run(buffers, 1) ? buffers.output(0, column) : Double.NaN;
    }

    @Override
    public void scoreBatch(final double[][] rows, final int count, final double[] scores)
    {
        final OnnxRowBuffers buffers = this.buffers.get();
        final int width = featureNames.size();
        final int maxRows = maxBatchRows;
        for (int from = 0; from < count; from += maxRows)
        {
            final int n = Math.min(maxRows, count - from);
            for (int i = 0; i < n; i++)
            {
                final double[] row = rows[from + i];
                for (int j = 0; j < width; j++)
                {
                    buffers.put(i, j, row[j]);
                }
            }
            final boolean ran = run(buffers, n);
            for (int i = 0; i < n; i++)
            {
                scores[from + i] = ran ? buffers.output(i, column) : Double.NaN;
            }
        }
    }

    private boolean run(final OnnxRowBuffers buffers, final int rows)
    {
        // The outputs are pinned: ONNX Runtime writes the scores into the thread's buffer, and the result it
        // returns owns nothing that needs reading.
        try (OrtSession.Result ignored = session.run(buffers.inputs(rows), buffers.outputs(rows)))
        {
            return true;
        }
        catch (final OrtException | RuntimeException ex)
        {
            failedCalls.incrementAndGet();
            return false;
        }
    }

    /**
     * @return how many native calls have failed (their rows scored NaN).
     */
    public long failedCalls()
    {
        return failedCalls.get();
    }

    @Override
    public String toString()
    {
        return "ONNX model " + sourceName + " version " + version + " (" + featureNames.size() + " features)";
    }
}
