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
}
