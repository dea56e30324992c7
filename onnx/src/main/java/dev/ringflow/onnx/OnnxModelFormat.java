package dev.ringflow.onnx;

import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelException;
import dev.ringflow.models.score.ModelFormat;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;

/**
 * The ONNX format for {@link ModelLoader}: recognises a protobuf {@code ModelProto} by its first bytes and loads it
 * into an {@link OnnxModel} with ONNX Runtime.
 * <p>
 * <b>Note:</b> stateless; ONNX Runtime's native library is loaded on the first {@link #load}, never by
 * {@link #recognises(byte[])}.
 */
public final class OnnxModelFormat implements ModelFormat
{
    @Override
    public String name()
    {
        return "ONNX";
    }

    @Override
    public boolean recognises(final byte[] bytes)
    {
        return ModelLoader.looksLikeOnnx(bytes);
    }

    @Override
    public Model load(final byte[] bytes, final String sourceName, final ModelLimits limits) throws ModelException
    {
        return OnnxModelReader.read(bytes, sourceName, limits);
    }
}
