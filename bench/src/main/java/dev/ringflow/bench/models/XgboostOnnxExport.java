package dev.ringflow.bench.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts a binary:logistic XGBoost JSON model to an ONNX {@code TreeEnsembleRegressor} (ai.onnx.ml opset 1) giving
 * the margin, then a {@code Sigmoid}, so that ONNX Runtime and Ringflow's evaluator can be timed on the
 * same trees. Writes the protobuf by hand: the benchmark needs no protobuf or onnx library for one message.
 * <p>
 * <b>Note:</b> benchmark setup only; handles exactly what the benchmark trains (numeric splits, one target).
 */
final class XgboostOnnxExport
{
    private XgboostOnnxExport()
    {
    }

    /**
     * @param xgboostJson the model as {@code booster.toByteArray("json")} gives it.
     * @param features    its input width.
     * @return the ONNX model's bytes: input {@code X} float [N, features], output {@code Y} float [N, 1].
     */
    static byte[] convert(final byte[] xgboostJson, final int features) throws IOException
    {
        final JsonNode learner = new ObjectMapper().readTree(xgboostJson).get("learner");
        final String baseScore = learner.get("learner_model_param").get("base_score").asText().replace("[", "")
            .replace("]", "");
        final float base = Float.parseFloat(baseScore);
        final Proto node = new Proto().string(1, "X").string(2, "margin").string(3, "trees")
            .string(4, "TreeEnsembleRegressor").string(7, "ai.onnx.ml");
        final Lists lists = new Lists();
        int treeId = 0;
        for (final JsonNode tree : learner.get("gradient_booster").get("model").get("trees"))
        {
            lists.add(tree, treeId++);
        }
        node.message(5, Proto.ints("nodes_treeids", lists.treeIds)).message(5, Proto.ints("nodes_nodeids", lists.nodeIds))
            .message(5, Proto.ints("nodes_featureids", lists.featureIds))
            .message(5, Proto.floats("nodes_values", lists.values))
            .message(5, Proto.strings("nodes_modes", lists.modes))
            .message(5, Proto.ints("nodes_truenodeids", lists.trueIds))
            .message(5, Proto.ints("nodes_falsenodeids", lists.falseIds))
            .message(5, Proto.ints("nodes_missing_value_tracks_true", lists.missingTrue))
            .message(5, Proto.ints("target_treeids", lists.targetTrees))
            .message(5, Proto.ints("target_nodeids", lists.targetNodes))
            .message(5, Proto.ints("target_ids", lists.targetIds))
            .message(5, Proto.floats("target_weights", lists.weights))
            .message(5, new Proto().string(1, "n_targets").varint(3, 1).varint(20, 2))
            .message(5, Proto.floats("base_values", List.of((float)Math.log(base / (1 - base)))))
            .message(5, new Proto().string(1, "aggregate_function").bytes(4, "SUM").varint(20, 3));
        // The probability by a Sigmoid node: ONNX Runtime's regressor leaves a LOGISTIC post-transform unapplied.
        final Proto sigmoid = new Proto().string(1, "margin").string(2, "Y").string(3, "probability")
            .string(4, "Sigmoid");
        final Proto graph = new Proto().message(1, node).message(1, sigmoid).string(2, "xgboost")
            .message(11, valueInfo("X", features)).message(12, valueInfo("Y", 1));
        return new Proto().varint(1, 8).string(2, "ringflow-bench").message(7, graph)
            .message(8, new Proto().string(1, "").varint(2, 13))
            .message(8, new Proto().string(1, "ai.onnx.ml").varint(2, 1)).toByteArray();
    }

    private static Proto valueInfo(final String name, final int width)
    {
        final Proto shape = new Proto().message(1, new Proto().string(2, "N")).message(1, new Proto().varint(1, width));
        final Proto tensor = new Proto().varint(1, 1).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** The TreeEnsembleRegressor's parallel attribute arrays, one entry per node (per leaf for the targets). */
    private static final class Lists
    {
        final List<Long> treeIds = new ArrayList<>();
        final List<Long> nodeIds = new ArrayList<>();
        final List<Long> featureIds = new ArrayList<>();
        final List<Float> values = new ArrayList<>();
        final List<String> modes = new ArrayList<>();
        final List<Long> trueIds = new ArrayList<>();
        final List<Long> falseIds = new ArrayList<>();
        final List<Long> missingTrue = new ArrayList<>();
        final List<Long> targetTrees = new ArrayList<>();
        final List<Long> targetNodes = new ArrayList<>();
        final List<Long> targetIds = new ArrayList<>();
        final List<Float> weights = new ArrayList<>();

        void add(final JsonNode tree, final int treeId)
        {
            final JsonNode left = tree.get("left_children");
            for (int n = 0; n < left.size(); n++)
            {
                final boolean leaf = left.get(n).asInt() == -1;
                final float condition = Float.parseFloat(tree.get("split_conditions").get(n).asText());
                treeIds.add((long)treeId);
                nodeIds.add((long)n);
                featureIds.add(leaf ? 0L : tree.get("split_indices").get(n).asLong());
                values.add(leaf ? 0f : condition);
                modes.add(leaf ? "LEAF" : "BRANCH_LT");
                trueIds.add(leaf ? 0L : left.get(n).asLong());
                falseIds.add(leaf ? 0L : tree.get("right_children").get(n).asLong());
                missingTrue.add(leaf ? 0L : tree.get("default_left").get(n).asLong());
                if (leaf)
                {
                    targetTrees.add((long)treeId);
                    targetNodes.add((long)n);
                    targetIds.add(0L);
                    weights.add(condition);
                }
            }
        }
    }

    /** A protobuf message being written: fields in order, repeated scalars unpacked (which every reader accepts). */
    private static final class Proto
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        static Proto ints(final String name, final List<Long> values)
        {
            final Proto attribute = new Proto().string(1, name);
            for (final long value : values)
            {
                attribute.varint(8, value);
            }
            return attribute.varint(20, 7);
        }

        static Proto floats(final String name, final List<Float> values)
        {
            final Proto attribute = new Proto().string(1, name);
            for (final float value : values)
            {
                attribute.tag(7, 5);
                final int bits = Float.floatToIntBits(value);
                for (int i = 0; i < 4; i++)
                {
                    attribute.out.write(bits >>> (8 * i));
                }
            }
            return attribute.varint(20, 6);
        }

        static Proto strings(final String name, final List<String> values)
        {
            final Proto attribute = new Proto().string(1, name);
            for (final String value : values)
            {
                attribute.bytes(9, value);
            }
            return attribute.varint(20, 8);
        }

        Proto tag(final int field, final int wireType)
        {
            return raw((long)field << 3 | wireType);
        }

        Proto varint(final int field, final long value)
        {
            return tag(field, 0).raw(value);
        }

        Proto string(final int field, final String value)
        {
            return bytes(field, value);
        }

        Proto bytes(final int field, final String value)
        {
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            tag(field, 2).raw(bytes.length);
            out.write(bytes, 0, bytes.length);
            return this;
        }

        Proto message(final int field, final Proto message)
        {
            final byte[] bytes = message.toByteArray();
            tag(field, 2).raw(bytes.length);
            out.write(bytes, 0, bytes.length);
            return this;
        }

        private Proto raw(final long value)
        {
            long v = value;
            while ((v & ~0x7fL) != 0)
            {
                out.write((int)(v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write((int)v);
            return this;
        }

        byte[] toByteArray()
        {
            return out.toByteArray();
        }
    }
}
