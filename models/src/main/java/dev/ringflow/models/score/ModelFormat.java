package dev.ringflow.models.score;

/**
 * A model format read by a module outside the core (ONNX through {@code ringflow-onnx}), found on the class path with
 * {@link java.util.ServiceLoader}: {@link ModelLoader} asks every installed format about content it does not read
 * itself, so a heavy runtime (a native library) stays out of the daemon unless its jar is added.
 * <p>
 * <b>Note:</b> implementations are registered in {@code META-INF/services/dev.ringflow.models.score.ModelFormat},
 * need a public no-argument constructor, and must be cheap to construct and to ask {@link #recognises(byte[])}: every
 * model load asks, so neither may load a native library.
 */
public interface ModelFormat
{
    /**
     * @return the format's name for messages, e.g. {@code "ONNX"}.
     */
    String name();

    /**
     * @param bytes a model file's whole content (not empty, within {@link ModelLimits#maxFileBytes()}).
     * @return true when this format reads the content; then {@link #load} is called and its answer is final.
     */
    boolean recognises(byte[] bytes);

    /**
     * @param bytes      a model file's content that {@link #recognises(byte[])} accepted.
     * @param sourceName the name error messages and {@link Model#sourceName()} use.
     * @param limits     bounds the model must respect ({@link ModelLimits#maxFeatures()} at least).
     * @return the validated model; its version is the file's declared one or {@link ModelLoader#contentHash(byte[])}.
     * @throws ModelException starting with {@code sourceName} when the content is not a model this format can score.
     */
    Model load(byte[] bytes, String sourceName, ModelLimits limits) throws ModelException;
}
