package dev.ringflow.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.ringflow.models.score.ModelException;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Opens an ONNX file with ONNX Runtime and checks that Ringflow can score it: one float input {@code [rows, F]} and
 * one float score output (see {@link #chooseOutput}); reads its feature names, version and missing-value handling
 * from the model's metadata properties.
 * <p>
 * <b>Note:</b> control thread only: loads the native library on first use, reads and allocates.
 */
final class OnnxModelReader
{
    /** Metadata property: the input's feature names, comma-separated, in column order. */
    static final String FEATURES_PROPERTY = "features";
    /** Metadata property: the model's version, written to every scored event. */
    static final String VERSION_PROPERTY = "version";
    /** Metadata property: {@code "true"} when the model itself gives NaN inputs a meaning (a tree ensemble). */
    static final String HANDLES_MISSING_PROPERTY = "handles-missing";

    /** What the session's signature says about how to feed it and where the score is. */
    record Shape(
        OrtEnvironment environment,
        OrtSession session,
        OnnxResources resources,
        String inputName,
        int features,
        boolean fixedSingleRow,
        String outputName,
        int outputWidth,
        boolean outputIsMatrix)
    {
    }

    private OnnxModelReader()
    {
    }

    static OnnxModel read(final byte[] bytes, final String sourceName, final ModelLimits limits)
        throws ModelException
    {
        final OrtEnvironment environment;
        try
        {
            environment = OrtEnvironment.getEnvironment();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            throw new ModelException(sourceName + ": ONNX Runtime's native library does not load on this machine: " +
                ex, ex);
        }
        final OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions())
        {
            // One worker thread scores; ONNX Runtime's own thread pools would only compete with the other workers.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(bytes, options);
        }
        catch (final OrtException ex)
        {
            throw new ModelException(sourceName + ": ONNX Runtime cannot load this model: " + ex.getMessage(), ex);
        }
        try
        {
            final Shape shape = shape(environment, session, sourceName, limits);
            final Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            final String declared = metadata.get(FEATURES_PROPERTY);
            final List<String> names = null == declared ?
                generatedNames(shape.features()) : declaredNames(declared, shape.features(), sourceName);
            final String version = metadata.getOrDefault(VERSION_PROPERTY, ModelLoader.contentHash(bytes)).trim();
            return new OnnxModel(shape, sourceName, version.isEmpty() ? ModelLoader.contentHash(bytes) : version,
                names, null != declared, "true".equalsIgnoreCase(metadata.get(HANDLES_MISSING_PROPERTY)));
        }
        catch (final ModelException | OrtException | RuntimeException ex)
        {
            close(session);
            if (ex instanceof ModelException modelException)
            {
                throw modelException;
            }
            throw new ModelException(sourceName + ": cannot read the ONNX model's signature: " + ex.getMessage(), ex);
        }
    }

    private static Shape shape(
        final OrtEnvironment environment,
        final OrtSession session,
        final String sourceName,
        final ModelLimits limits) throws OrtException, ModelException
    {
        final Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1)
        {
            throw new ModelException(sourceName + ": the ONNX model has " + inputs.size() + " inputs " +
                inputs.keySet() + "; Ringflow feeds exactly one float tensor [rows, features] (with skl2onnx, " +
                "convert with one FloatTensorType input)");
        }
        final NodeInfo input = inputs.values().iterator().next();
        final long[] inputShape = floatTensorShape(input, sourceName, "input");
        if (inputShape.length != 2 || inputShape[1] < 1 || (inputShape[0] != -1 && inputShape[0] != 1))
        {
            throw new ModelException(sourceName + ": the ONNX model's input '" + input.getName() + "' has shape " +
                java.util.Arrays.toString(inputShape) + "; Ringflow feeds [rows, features] with a known feature " +
                "count and a free (or 1) row count");
        }
        if (inputShape[1] > limits.maxFeatures())
        {
            throw new ModelException(sourceName + ": the ONNX model takes " + inputShape[1] + " features, more " +
                "than the limit of " + limits.maxFeatures() + " (ModelLimits.maxFeatures)");
        }
        final NodeInfo output = chooseOutput(session.getOutputInfo(), sourceName);
        final long[] outputShape = ((TensorInfo)output.getInfo()).getShape();
        final boolean matrix = outputShape.length == 2;
        return new Shape(environment, session, new OnnxResources(session), input.getName(), (int)inputShape[1],
            inputShape[0] == 1, output.getName(), matrix ? (int)outputShape[1] : 1, matrix);
    }

    /**
     * The score output: the only float tensor output of shape {@code [rows]}, {@code [rows, 1]} (the score itself)
     * or {@code [rows, 2]} (two-class probabilities: column 1 is the positive class), or, among several float
     * tensors, the one named {@code probabilities} (skl2onnx's classifier output with {@code zipmap=False}). Other
     * outputs (skl2onnx's {@code label}) are not computed. A ZipMap, more than two classes or several candidate
     * outputs are refused.
     */
    static NodeInfo chooseOutput(final Map<String, NodeInfo> outputs, final String sourceName) throws ModelException
    {
        final List<NodeInfo> candidates = new ArrayList<>();
        final List<String> others = new ArrayList<>();
        for (final NodeInfo output : outputs.values())
        {
            final ValueInfo info = output.getInfo();
            if (info instanceof TensorInfo tensor && tensor.type == OnnxJavaType.FLOAT)
            {
                candidates.add(output);
            }
            else
            {
                others.add(output.getName() + " (" + info + ")");
            }
        }
        if (candidates.size() > 1)
        {
            candidates.removeIf(output -> !output.getName().equals("probabilities"));
        }
        if (candidates.size() != 1)
        {
            throw new ModelException(sourceName + ": the ONNX model has " + (candidates.isEmpty() ? "no" :
                "several") + " float tensor outputs to take the score from " + outputs.keySet() +
                (others.isEmpty() ? "" : "; not tensors of float: " + others) + ". Ringflow reads one float " +
                "output [rows], [rows, 1] or [rows, 2], or skl2onnx's 'probabilities'; a ZipMap output (a sequence " +
                "of maps) is not supported: convert classifiers with options={id(model): {'zipmap': False}}");
        }
        final NodeInfo output = candidates.get(0);
        final long[] shape = ((TensorInfo)output.getInfo()).getShape();
        final boolean rows = shape.length >= 1 && (shape[0] == -1 || shape[0] == 1);
        if (!rows || shape.length > 2 || (shape.length == 2 && shape[1] != 1 && shape[1] != 2))
        {
            throw new ModelException(sourceName + ": the ONNX model's output '" + output.getName() + "' has shape " +
                java.util.Arrays.toString(shape) + "; Ringflow scores one value per row: [rows], [rows, 1], or " +
                "[rows, 2] for a two-class classifier's probabilities (multi-class and multi-target models are " +
                "not supported)");
        }
        return output;
    }

    private static long[] floatTensorShape(final NodeInfo node, final String sourceName, final String what)
        throws ModelException
    {
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT)
        {
            throw new ModelException(sourceName + ": the ONNX model's " + what + " '" + node.getName() + "' is " +
                node.getInfo() + "; Ringflow feeds a float tensor [rows, features]");
        }
        return tensor.getShape();
    }

    private static List<String> generatedNames(final int count)
    {
        final List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            names.add("f" + i);
        }
        return names;
    }

    private static List<String> declaredNames(final String declared, final int count, final String sourceName)
        throws ModelException
    {
        final List<String> names = new ArrayList<>();
        for (final String name : declared.split(",", -1))
        {
            names.add(name.trim());
        }
        if (names.size() != count)
        {
            throw new ModelException(sourceName + ": the ONNX model's metadata names " + names.size() +
                " features " + names + " but its input takes " + count + "; the '" + FEATURES_PROPERTY +
                "' property lists the input's columns, comma-separated, in order");
        }
        if (names.contains("") || new HashSet<>(names).size() != names.size())
        {
            throw new ModelException(sourceName + ": the ONNX model's metadata feature names " + names +
                " have an empty or repeated name");
        }
        return names;
    }

    private static void close(final OrtSession session)
    {
        try
        {
            session.close();
        }
        catch (final OrtException ignored)
        {
            // The load already failed; its reason is the one to report.
        }
    }
}
