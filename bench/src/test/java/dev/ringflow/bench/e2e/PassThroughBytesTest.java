package dev.ringflow.bench.e2e;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pass-through padded to a pipeline's bytes: the bytes per input {@link OutputBytes} finds for a pipeline file
 * against a count by hand of what that file writes, the padding of {@link PassThroughMain}, and the names the
 * harness knows it by.
 */
class PassThroughBytesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCountTheBytesOfEveryOutputRouteAndDeadLetterPerInput() throws IOException
    {
        final Path file = dir.resolve("p.yaml");
        Files.writeString(file, String.join("\n",
            "name: p",
            "source: {topics: [in], format: json}",
            "tasks:",
            "  - type: filter",
            "    where: a > 0",
            "  - set: {b: \"a * 2\"}",
            "  - {type: route, when: a > 5, topic: big, continue: true}",
            "sink: {topic: out, dead-letter-topic: dead}",
            ""));
        final List<ProducerRecord<byte[], byte[]>> inputs = List.of(
            record("k1", "{\"a\":1}"),     // out {"a":1,"b":2}: 13 bytes + key 2
            record("k2", "{\"a\":-1}"),    // filtered out: nothing written
            record("k3", "{\"a\":7}"),     // out and routed {"a":7,"b":14}: 2 x (14 + 2)
            record("k4", "not json"));     // dead-lettered as it came: 8 + 2, at least
        final OutputBytes.PerInput size = OutputBytes.measure(file, inputs);

        final double inputBytes = (2 + 7 + 2 + 8 + 2 + 7 + 2 + 8) / 4.0;
        assertThat(size.inputBytes()).isEqualTo(inputBytes);
        // Records written: one output, two for the routed one, one dead letter.
        assertThat(size.records()).isEqualTo(4 / 4.0);
        // The dead letter carries the input as it came (its reason travels in headers, not counted).
        final double outputBytes = (15 + 2 * 16 + 10) / 4.0;
        assertThat(size.outputBytes()).isEqualTo(outputBytes);
        assertThat(size.appendBytes()).isEqualTo(Math.round(outputBytes - inputBytes));
    }

    @Test
    void shouldAppendNothingForAPipelineThatWritesLessThanItReads()
    {
        assertThat(new OutputBytes.PerInput(100, 40, 0.5).appendBytes()).isZero();
        assertThat(new OutputBytes.PerInput(100, 100.4, 1).appendBytes()).isZero();
        assertThat(new OutputBytes.PerInput(100, 100.6, 1).appendBytes()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnEmptySample() throws IOException
    {
        final Path file = dir.resolve("q.yaml");
        Files.writeString(file, "name: q\nsource: {topics: [in], format: json}\nsink: {topic: out}\n");
        assertThatThrownBy(() -> OutputBytes.measure(file, List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no input records");
    }

    @Test
    void shouldPadAValueWithSpacesAndLeaveNullAndZeroAlone()
    {
        final byte[] value = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(PassThroughMain.padded(value, 3), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}   ");
        assertThat(PassThroughMain.padded(value, 0)).isSameAs(value);
        assertThat(PassThroughMain.padded(null, 3)).isNull();
        assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void shouldNameEachPaddedPassThroughAfterItsPipelineAndRunThemFirst()
    {
        assertThat(JsonPipeline.parseList("fraud-scoring,json-pass-through-bytes")).containsExactly(
            JsonPipeline.CARD_FEATURES_BYTES, JsonPipeline.FRAUD_SCORING_BYTES, JsonPipeline.FRAUD_SCORING);
        assertThat(JsonPipeline.CARD_FEATURES_BYTES.key()).isEqualTo("json-pass-through (eos, bytes of card-features)");
        assertThat(JsonPipeline.FRAUD_SCORING_BYTES.bytesOf()).isEqualTo(JsonPipeline.FRAUD_SCORING);
        assertThat(JsonPipeline.FRAUD_SCORING_BYTES.inputTopic()).isEqualTo(JsonPipeline.FRAUD_SCORING.inputTopic());
        assertThat(JsonPipeline.JSON_PASS_THROUGH_EOS.bytesOf()).isNull();
        // Each has topics and a group of its own in a round.
        assertThat(JsonPipeline.CARD_FEATURES_BYTES.names(1, dir, dir).group())
            .isNotEqualTo(JsonPipeline.JSON_PASS_THROUGH_EOS.names(1, dir, dir).group())
            .isNotEqualTo(JsonPipeline.FRAUD_SCORING_BYTES.names(1, dir, dir).group());
        assertThat(JsonPipeline.DEFAULTS).contains(JsonPipeline.CARD_FEATURES_BYTES, JsonPipeline.FRAUD_SCORING_BYTES);
    }

    @Test
    void shouldPassTheBytesToAppendOnlyToAPaddedPassThrough()
    {
        final JsonPipeline.Run padded = JsonPipeline.CARD_FEATURES_BYTES.names(1, dir, dir);
        assertThat(JsonPipeline.CARD_FEATURES_BYTES.daemonArgs(padded, dir.resolve("r.jar"), "h:1", 156))
            .containsSubsequence("--exactly-once", "--append-bytes", "156");
        final JsonPipeline.Run plain = JsonPipeline.JSON_PASS_THROUGH_EOS.names(1, dir, dir);
        assertThat(JsonPipeline.JSON_PASS_THROUGH_EOS.daemonArgs(plain, dir.resolve("r.jar"), "h:1", 156))
            .doesNotContain("--append-bytes");
    }

    private static ProducerRecord<byte[], byte[]> record(final String key, final String value)
    {
        return new ProducerRecord<>("in", key.getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8));
    }
}
