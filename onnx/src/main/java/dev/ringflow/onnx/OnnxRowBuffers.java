package dev.ringflow.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One thread's pinned input and output tensors for an {@link OnnxModel}: a direct buffer of {@code maxRows} input
 * rows and one of their scores, and for each row count used so far a tensor pair over the first rows of both, so that
 * ONNX Runtime reads the rows from and writes the scores to memory Java already holds.
 * <p>
 * <b>Note:</b> owned by one thread. Tensors for a row count are made on its first use; after that nothing here
 * allocates. It holds no reference to the model, so that a model no longer used can be collected (and closed) while
 * the thread lives on.
 */
final class OnnxRowBuffers
{
    private final OrtEnvironment environment;
    private final String inputName;
    private final String outputName;
    private final int features;
    private final int outputWidth;
    private final boolean outputIsMatrix;
    private final Consumer<AutoCloseable> closeLater;
    private final FloatBuffer input;
    private final FloatBuffer output;
    private final Map<String, OnnxTensor>[] inputs;
    private final Map<String, OnnxValue>[] outputs;

    @SuppressWarnings("unchecked")
    OnnxRowBuffers(
        final OrtEnvironment environment,
        final String inputName,
        final String outputName,
        final int features,
        final int outputWidth,
        final boolean outputIsMatrix,
        final int maxRows,
        final Consumer<AutoCloseable> closeLater)
    {
        this.environment = environment;
        this.inputName = inputName;
        this.outputName = outputName;
        this.features = features;
        this.outputWidth = outputWidth;
        this.outputIsMatrix = outputIsMatrix;
        this.closeLater = closeLater;
        input = floats(maxRows * features);
        output = floats(maxRows * outputWidth);
        inputs = new Map[maxRows + 1];
        outputs = new Map[maxRows + 1];
    }

    private static FloatBuffer floats(final int count)
    {
        return ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Writes one feature of one row, rounded to float as the model's input is. */
    void put(final int row, final int feature, final double value)
    {
        input.put(row * features + feature, (float)value);
    }

    /** Reads column {@code column} of row {@code row} of the last run's output. */
    float output(final int row, final int column)
    {
        return output.get(row * outputWidth + column);
    }

    /** The input map for a run over the first {@code rows} rows. */
    Map<String, OnnxTensor> inputs(final int rows) throws OrtException
    {
        if (null == inputs[rows])
        {
            bind(rows);
        }
        return inputs[rows];
    }

    /** The pinned output map for a run over the first {@code rows} rows. */
    Map<String, OnnxValue> outputs(final int rows) throws OrtException
    {
        if (null == outputs[rows])
        {
            bind(rows);
        }
        return outputs[rows];
    }

    private void bind(final int rows) throws OrtException
    {
        // Tensors over slices share the buffers' memory: every row count reads and writes the same rows.
        final OnnxTensor in = OnnxTensor.createTensor(environment, input.slice(0, rows * features),
            new long[] {rows, features});
        closeLater.accept(in);
        final long[] outShape = outputIsMatrix ? new long[] {rows, outputWidth} : new long[] {rows};
        final OnnxTensor out = OnnxTensor.createTensor(environment, output.slice(0, rows * outputWidth), outShape);
        closeLater.accept(out);
        inputs[rows] = Map.of(inputName, in);
        outputs[rows] = Map.of(outputName, out);
    }
}
