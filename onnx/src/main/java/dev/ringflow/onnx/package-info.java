/**
 * ONNX models scored by ONNX Runtime: {@link dev.ringflow.onnx.OnnxModelFormat} plugs into the models module's
 * {@link dev.ringflow.models.score.ModelLoader} through {@link java.util.ServiceLoader}, so that a daemon reads ONNX
 * files as soon as this module's jar is on its class path, and carries ONNX Runtime's native libraries only then.
 * <p>
 * What is supported (one float input, one score output) and what a call costs is in docs/models.md, "ONNX models".
 */
package dev.ringflow.onnx;
