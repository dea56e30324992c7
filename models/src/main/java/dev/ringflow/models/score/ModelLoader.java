package dev.ringflow.models.score;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Loads a model file, telling its format apart by content: XGBoost JSON (an object with {@code learner}), Ringflow's
 * linear JSON ({@code "format": "ringflow-linear"}), LightGBM text (first line {@code tree}). Content none of these
 * is offered to the {@link ModelFormat}s on the class path (ONNX with the {@code ringflow-onnx} module); without that
 * module an ONNX file is recognised and refused, naming the module. A model file is data: nothing in it is executed,
 * and every index in it is checked before scoring can follow it.
 * <p>
 * <b>Note:</b> stateless and thread-safe; call it from a control thread, never from a worker (it reads files and
 * allocates). Check the result against the pipeline with {@link Model#checkFeatures(java.util.List)}.
 */
public final class ModelLoader
{
    private ModelLoader()
    {
    }

    /**
     * @param file   the model file.
     * @param limits bounds the file must respect.
     * @return the validated model, named after the file's name.
     * @throws ModelException when the file cannot be read, is over {@link ModelLimits#maxFileBytes()}, or is not a
     *                        valid model of a supported format.
     */
    public static Model load(final Path file, final ModelLimits limits) throws ModelException
    {
        final String source = String.valueOf(file.getFileName());
        final byte[] bytes;
        try (InputStream in = Files.newInputStream(file))
        {
            // Read one byte past the limit rather than trusting the size the file system reports.
            bytes = in.readNBytes((int)Math.min(Integer.MAX_VALUE - 8, limits.maxFileBytes() + 1));
        }
        catch (final IOException ex)
        {
            throw new ModelException(source + ": cannot read the model file: " + ex, ex);
        }
        return load(bytes, source, limits);
    }

    /**
     * @param bytes      the model file's content.
     * @param sourceName the name error messages and {@link Model#sourceName()} use.
     * @param limits     bounds the file must respect.
     * @return the validated model.
     * @throws ModelException when the content is over {@link ModelLimits#maxFileBytes()} or is not a valid model of a
     *                        supported format.
     */
    public static Model load(final byte[] bytes, final String sourceName, final ModelLimits limits) throws ModelException
    {
        if (bytes.length > limits.maxFileBytes())
        {
            throw new ModelException(sourceName + ": the file is larger than the limit of " + limits.maxFileBytes() +
                " bytes (ModelLimits.maxFileBytes)");
        }
        if (bytes.length == 0)
        {
            throw new ModelException(sourceName + ": the file is empty");
        }
        final String hash = contentHash(bytes);
        final boolean onnx = looksLikeOnnx(bytes);
        final ModelFormat plugIn = onnx || !readsItself(bytes) ? ModelFormats.find(bytes) : null;
        if (null != plugIn)
        {
            return plugIn.load(bytes, sourceName, limits);
        }
        if (onnx)
        {
            throw new ModelException(sourceName + ": this is an ONNX model; ONNX models need the ringflow-onnx module");
        }
        if (LightGbmTextReader.looksLikeLightGbm(bytes))
        {
            return new LightGbmTextReader(sourceName, limits).read(bytes, hash);
        }
        final int first = firstNonBlank(bytes);
        if (first >= 0 && bytes[first] == '{')
        {
            if (first + 1 < bytes.length && isUbjsonMarker(bytes[first + 1]))
            {
                throw new ModelException(sourceName + ": this looks like XGBoost's binary UBJSON model; save it as " +
                    "JSON instead (booster.save_model(\"model.json\"))");
            }
            final JsonDocument json = new JsonDocument(sourceName);
            final Map<String, Object> root = json.object(json.parse(bytes), "$");
            if (root.containsKey("learner"))
            {
                return new XgboostJsonReader(json, limits).read(root, hash);
            }
            if (root.containsKey("format"))
            {
                final String format = json.string(root.get("format"), "$.format");
                if (format.equals(LinearJsonReader.FORMAT))
                {
                    return new LinearJsonReader(json).read(root, hash);
                }
                throw new ModelException(sourceName + ": unknown model format '" + format + "'; Ringflow reads '" +
                    LinearJsonReader.FORMAT + "', XGBoost JSON and LightGBM text");
            }
            throw new ModelException(sourceName + ": a JSON file but not a model Ringflow recognises: neither an " +
                "XGBoost model (no 'learner') nor a linear model (no \"format\": \"" + LinearJsonReader.FORMAT + "\")");
        }
        throw new ModelException(sourceName + ": not a model file Ringflow recognises; expected XGBoost JSON, " +
            "LightGBM text or " + LinearJsonReader.FORMAT + " JSON (see docs/models.md)");
    }

    /**
     * @param bytes a model file's content.
     * @return the first 12 hex digits of its SHA-256: the version of a model whose file declares none.
     */
    public static String contentHash(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }

    /**
     * ONNX files are protobuf ModelProto messages that start with field 1 (ir_version, a small varint: tag 0x08)
     * followed by another ModelProto field tag (producer name, version, domain, model version, doc string, graph or
     * opset import).
     *
     * @param bytes a file's content.
     * @return whether it starts as an ONNX model does (the ONNX module's {@link ModelFormat} recognises it so).
     */
    public static boolean looksLikeOnnx(final byte[] bytes)
    {
        if (bytes.length < 3 || bytes[0] != 0x08 || (bytes[1] & 0x80) != 0 || bytes[1] == 0)
        {
            return false;
        }
        final int tag = bytes[2] & 0xff;
        return tag == 0x12 || tag == 0x1a || tag == 0x22 || tag == 0x28 || tag == 0x32 || tag == 0x3a || tag == 0x42;
    }

    /** Whether the content is one of the core's own formats (possibly malformed): those are never offered to plug-ins. */
    private static boolean readsItself(final byte[] bytes)
    {
        final int first = firstNonBlank(bytes);
        return LightGbmTextReader.looksLikeLightGbm(bytes) || (first >= 0 && bytes[first] == '{');
    }

    private static boolean isUbjsonMarker(final byte b)
    {
        return b == 'L' || b == 'i' || b == 'U' || b == 'I' || b == 'l' || b == '$' || b == '#';
    }

    private static int firstNonBlank(final byte[] bytes)
    {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf)
        {
            i = 3;
        }
        for (; i < bytes.length; i++)
        {
            final byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                return i;
            }
        }
        return -1;
    }
}
