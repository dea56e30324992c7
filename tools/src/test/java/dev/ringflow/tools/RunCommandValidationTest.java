package dev.ringflow.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Command-line options that change the pipeline are checked like the file itself: {@code --workers 2} on a pipeline
 * keyed by a JSON field (sharding goes by record key, so the windows would be wrong) stops with exit 2 before any
 * connection to Kafka.
 */
@Timeout(60)
class RunCommandValidationTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseWorkersThatTheFileCouldNotHave() throws IOException
    {
        final Path pipeline = dir.resolve("keyed.yaml");
        Files.writeString(pipeline, String.join("\n",
            "name: keyed",
            "source:",
            "  topics: [in]",
            "  format: json",
            "  key-field: sensor",
            "tasks:",
            "  - type: window",
            "    range: 5",
            "    aggregation: sum",
            "    value-fields: [temp]",
            "sink:",
            "  topic: out",
            ""));

        assertThat(RingflowCommand.execute("run", "--pipeline", pipeline.toString(), "--no-journal",
            "--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "1", "--workers", "2"))
            .as("refused before connecting").isEqualTo(RingflowCommand.EXIT_USAGE);
        assertThat(RingflowCommand.execute("run", "--pipeline", pipeline.toString(), "--no-journal",
            "--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "1"))
            .as("the file alone is valid: it gets as far as Kafka, which is not there").isEqualTo(1);
    }

    /** The journal commands say --journal, run says --journal-dir: run takes either. */
    @Test
    void shouldTakeTheJournalDirectoryUnderEitherName() throws IOException
    {
        final Path pipeline = dir.resolve("seed.yaml");
        Files.copy(SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml"), pipeline);

        for (final String option : new String[] { "--journal-dir", "--journal" })
        {
            assertThat(RingflowCommand.execute("run", "--pipeline", pipeline.toString(), option,
                dir.resolve("journal" + option).toString(), "--bootstrap-servers", "127.0.0.1:1",
                "--connect-timeout", "1", "--metrics-bind", "off", "--admin-bind", "off"))
                .as("%s is taken: the run gets as far as Kafka, which is not there", option).isEqualTo(1);
        }
    }

    /** Kafka aborts a transaction open longer than its timeout: with a longer commit interval every one would be. */
    @Test
    void shouldRefuseACommitIntervalThatOutlastsTheTransactionTimeout() throws IOException
    {
        final String seed = Files.readString(SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml"));
        final Path tooLong = dir.resolve("too-long.yaml");
        Files.writeString(tooLong, seed + "\nengine:\n  commit-interval-ms: 10000\n");
        final Path withTimeout = dir.resolve("with-timeout.yaml");
        Files.writeString(withTimeout, seed.replace("sink:\n", "sink:\n  producer:\n    " +
            "transaction.timeout.ms: 60000\n") + "\nengine:\n  commit-interval-ms: 10000\n");

        assertThat(RingflowCommand.execute("run", "--pipeline", tooLong.toString(), "--journal-dir",
            dir.resolve("journal-1").toString(), "--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "1",
            "--metrics-bind", "off", "--admin-bind", "off"))
            .as("10 s, Ringflow's default timeout: refused before connecting").isEqualTo(RingflowCommand.EXIT_USAGE);
        assertThat(RingflowCommand.execute("run", "--pipeline", withTimeout.toString(), "--journal-dir",
            dir.resolve("journal-2").toString(), "--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "1",
            "--metrics-bind", "off", "--admin-bind", "off"))
            .as("a 60 s timeout: it gets as far as Kafka, which is not there").isEqualTo(1);
        assertThat(RingflowCommand.execute("run", "--pipeline", tooLong.toString(), "--no-journal",
            "--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "1", "--metrics-bind", "off",
            "--admin-bind", "off"))
            .as("at-least-once without a journal: no transactions").isEqualTo(1);
    }
}
