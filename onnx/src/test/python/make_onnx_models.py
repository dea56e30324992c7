"""Writes the ONNX test models of the ringflow-onnx module and their reference predictions.

Run from the repository root: python3 onnx/src/test/python/make_onnx_models.py
Needs numpy, scikit-learn, onnx and onnxruntime. skl2onnx is not needed: the graphs are written with onnx.helper
from scikit-learn's fitted weights, in the shapes skl2onnx gives (a 'probabilities' [N, 2] tensor beside a 'label').
Predictions come from Python's onnxruntime on the same float32 rows the Java tests read.
"""
import csv
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neural_network import MLPClassifier

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "onnx")
FEATURES = ["amount", "hour", "merchant_risk", "velocity"]
# ONNX Runtime 1.20 (the Java runtime) reads IR versions up to 10; onnx 1.2x writes newer ones by default.
IR_VERSION = 8
OPSETS = [helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 1)]

rng = np.random.default_rng(20240611)


def data(n):
    x = rng.normal(size=(n, len(FEATURES))).astype(np.float32)
    margin = 1.5 * x[:, 0] - 0.8 * x[:, 1] + 0.5 * x[:, 2] * x[:, 3] + 0.3
    y = (rng.random(n) < 1 / (1 + np.exp(-margin))).astype(np.int64)
    return x, y, margin


def model(graph, metadata=None):
    m = helper.make_model(graph, opset_imports=OPSETS, producer_name="ringflow-tests")
    m.ir_version = IR_VERSION
    for key, value in (metadata or {}).items():
        entry = m.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(m)
    return m


def matrix(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.float32), name)


def input_info(batch="N", width=len(FEATURES), name="input"):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [batch, width])


def probabilities_outputs(positive):
    """skl2onnx's classifier outputs without ZipMap: label (int64 [N]) and probabilities (float [N, 2])."""
    return [
        helper.make_node("Sub", ["one", positive], ["negative"]),
        helper.make_node("Concat", ["negative", positive], ["probabilities"], axis=1),
        helper.make_node("ArgMax", ["probabilities"], ["label_2d"], axis=1, keepdims=1),
        helper.make_node("Squeeze", ["label_2d", "squeeze_axes"], ["label"]),
    ], [matrix("one", [[1.0]]), numpy_helper.from_array(np.array([1], dtype=np.int64), "squeeze_axes")], [
        helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
        helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2]),
    ]


def logistic(x, y):
    """Logistic regression, a single 'score' output [N, 1]; declares its feature names and version."""
    clf = LogisticRegression().fit(x, y)
    nodes = [helper.make_node("MatMul", ["input", "w"], ["z0"]), helper.make_node("Add", ["z0", "b"], ["z"]),
             helper.make_node("Sigmoid", ["z"], ["score"])]
    graph = helper.make_graph(nodes, "logistic", [input_info()],
                              [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["N", 1])],
                              [matrix("w", clf.coef_.T), matrix("b", clf.intercept_)])
    return model(graph, {"features": ",".join(FEATURES), "version": "lr-onnx-1"})


def mlp(x, y, zipmap=False, classes=2):
    """An MLP classifier (8 ReLU units) with skl2onnx's outputs: label and probabilities, or a ZipMap."""
    if classes > 2:
        y = np.clip(y + (x[:, 1] > 1).astype(np.int64), 0, classes - 1)
    clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=400, random_state=1).fit(x, y)
    nodes = [helper.make_node("MatMul", ["input", "w1"], ["h0"]), helper.make_node("Add", ["h0", "b1"], ["h1"]),
             helper.make_node("Relu", ["h1"], ["h"]), helper.make_node("MatMul", ["h", "w2"], ["o0"]),
             helper.make_node("Add", ["o0", "b2"], ["o"])]
    init = [matrix("w1", clf.coefs_[0]), matrix("b1", clf.intercepts_[0]), matrix("w2", clf.coefs_[1]),
            matrix("b2", clf.intercepts_[1])]
    if classes > 2:
        nodes.append(helper.make_node("Softmax", ["o"], ["probabilities"], axis=1))
        outputs = [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", classes])]
    else:
        nodes.append(helper.make_node("Sigmoid", ["o"], ["p"]))
        more, more_init, outputs = probabilities_outputs("p")
        nodes += more
        init += more_init
    if zipmap:
        nodes.append(helper.make_node("ZipMap", ["probabilities"], ["output_probability"], domain="ai.onnx.ml",
                                      classlabels_int64s=[0, 1]))
        outputs = [outputs[0], helper.make_tensor_value_info(
            "output_probability", TensorProto.UNDEFINED, None)]
        outputs[1].type.sequence_type.elem_type.map_type.key_type = TensorProto.INT64
        outputs[1].type.sequence_type.elem_type.map_type.value_type.tensor_type.elem_type = TensorProto.FLOAT
    graph = helper.make_graph(nodes, "mlp", [input_info()], outputs, init)
    return model(graph)


def regression(x, margin):
    """A linear regression with a fixed batch of one row ([1, 4]) and one 'variable' output [1, 1]."""
    reg = LinearRegression().fit(x, margin)
    nodes = [helper.make_node("MatMul", ["input", "w"], ["v0"]), helper.make_node("Add", ["v0", "b"], ["variable"])]
    graph = helper.make_graph(nodes, "regression", [input_info(batch=1)],
                              [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [1, 1])],
                              [matrix("w", reg.coef_.reshape(-1, 1)), matrix("b", [reg.intercept_])])
    return model(graph)


def two_inputs():
    nodes = [helper.make_node("Add", ["input", "other"], ["score"])]
    graph = helper.make_graph(nodes, "two", [input_info(), input_info(name="other")],
                              [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["N", 4])])
    return model(graph)


def predict(m, rows, output):
    session = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    fixed = m.graph.input[0].type.tensor_type.shape.dim[0].dim_value == 1
    if fixed:
        values = np.concatenate([session.run([output], {"input": rows[i:i + 1]})[0] for i in range(len(rows))])
    else:
        values = session.run([output], {"input": rows})[0]
    return values[:, -1] if values.ndim == 2 else values


def save(name, m, rows=None, output=None):
    onnx.save(m, os.path.join(OUT, name + ".onnx"))
    if rows is None:
        return
    with open(os.path.join(OUT, name + ".predictions.csv"), "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(FEATURES + ["prediction"])
        for row, p in zip(rows, predict(m, rows, output)):
            out.writerow([repr(float(v)) for v in row] + [repr(float(p))])


def main():
    os.makedirs(OUT, exist_ok=True)
    x, y, margin = data(2000)
    holdout, _, _ = data(200)
    # Edges: zeros, signed zeros, large magnitudes, subnormals.
    edges = np.array([[0, -0.0, 0, 0], [1e30, -1e30, 3e38, -3e38], [1e-40, -1e-40, 1e-45, 5],
                      [-50, 50, -50, 50]], dtype=np.float32)
    holdout = np.concatenate([holdout, edges])
    save("logistic", logistic(x, y), holdout, "score")
    save("mlp-probabilities", mlp(x, y), holdout, "probabilities")
    save("regression-batch1", regression(x, margin), holdout, "variable")
    save("mlp-zipmap", mlp(x, y, zipmap=True))
    save("mlp-3-classes", mlp(x, y, classes=3))
    save("two-inputs", two_inputs())
    bad = logistic(x, y)
    del bad.metadata_props[:]
    entry = bad.metadata_props.add()
    entry.key, entry.value = "features", "amount,hour,merchant_risk"
    save("logistic-3-names", bad)


if __name__ == "__main__":
    main()
