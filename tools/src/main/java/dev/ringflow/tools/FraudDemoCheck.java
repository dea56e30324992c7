package dev.ringflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.EngineMetrics;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.RouteTaskSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fraud demo's referee: the generator's labels of what went in, and what came out of the scores, alerts and
 * dead-letter topics, read back as committed ({@code read_committed}); precision and recall of the alerts.
 * <p>
 * <b>Note:</b> Not thread-safe; for the demo's thread.
 */
final class FraudDemoCheck
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String outputTopic;
    private final String alertTopic;
    private final String deadLetterTopic;
    private final String versionField;
    private final String scoreField;
    private final Map<String, Boolean> labels = new HashMap<>();
    private final Map<String, Long> versions = new LinkedHashMap<>();
    private long frauds;
    private long outputs;
    private long alerts;
    private long trueAlerts;
    private long deadLetters;
    private long mismatchedLabels;

    /**
     * @param versionField the score task's model-version field.
     * @param scoreField   the score task's output field.
     */
    FraudDemoCheck(final PipelineSpec spec, final String versionField, final String scoreField)
    {
        outputTopic = spec.sink().topic();
        deadLetterTopic = spec.sink().deadLetterTopic();
        alertTopic = spec.tasks().stream().filter(task -> task instanceof RouteTaskSpec)
            .map(task -> ((RouteTaskSpec)task).topic()).findFirst()
            .orElseThrow(() -> new CommandFailedException(spec.name() + " has no route task for its alerts"));
        this.versionField = versionField;
        this.scoreField = scoreField;
    }

    String alertTopic()
    {
        return alertTopic;
    }

    void onInput(final TransactionGenerator.Transaction transaction)
    {
        labels.put(transaction.card() + "@" + transaction.timeMs(), transaction.fraud());
        frauds += transaction.fraud() ? 1 : 0;
    }

    /** Reads the topics until {@code expected} outputs are there (then the alerts of their transactions are too). */
    boolean awaitOutputs(final String servers, final long expected, final long timeoutMs) throws IOException
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        try (KafkaConsumer<String, String> consumer =
            DemoConsumers.fromBeginning(servers, List.of(outputTopic, alertTopic, deadLetterTopic), true))
        {
            final List<TopicPartition> partitions = new ArrayList<>(consumer.assignment());
            while (System.currentTimeMillis() < deadlineMs)
            {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                {
                    onRecord(record);
                }
                // Alerts commit in the transaction of their output, so once every output is read they are readable.
                if (outputs + deadLetters >= expected && caughtUp(consumer, partitions))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean caughtUp(final KafkaConsumer<String, String> consumer, final List<TopicPartition> partitions)
    {
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (final TopicPartition partition : partitions)
        {
            if (consumer.position(partition) < ends.get(partition))
            {
                return false;
            }
        }
        return true;
    }

    private void onRecord(final ConsumerRecord<String, String> record) throws IOException
    {
        if (record.topic().equals(deadLetterTopic))
        {
            deadLetters++;
            return;
        }
        final JsonNode event = JSON.readTree(record.value());
        final boolean fraud = event.path("is_fraud").asInt() == 1;
        if (!Boolean.valueOf(fraud).equals(labels.get(event.path("card").asText() + "@" + event.path("ts").asLong())))
        {
            mismatchedLabels++;
        }
        if (record.topic().equals(alertTopic))
        {
            alerts++;
            trueAlerts += fraud ? 1 : 0;
            return;
        }
        outputs++;
        versions.merge(event.path(versionField).asText("(none)"), 1L, Long::sum);
    }

    /** Of the alerts, the share that are fraud; NaN without alerts. */
    double precision()
    {
        return 0 == alerts ? Double.NaN : (double)trueAlerts / alerts;
    }

    /** Of the fraudulent transactions, the share alerted; NaN without fraud. */
    double recall()
    {
        return 0 == frauds ? Double.NaN : (double)trueAlerts / frauds;
    }

    /** Model versions seen in the outputs, with their counts. */
    Map<String, Long> versions()
    {
        return versions;
    }

    void print(final PrintStream out, final Map<String, String> modelFiles, final List<EngineMetrics.LearnSummary> learn)
    {
        out.println();
        out.printf("transactions:  %,d in, %,d fraudulent (%.2f%%); %,d scored on %s, %,d bad input%n", labels.size(),
            frauds, 100.0 * frauds / Math.max(1, labels.size()), outputs, outputTopic, deadLetters);
        out.printf("alerts:        %,d on %s (%s > 0.8), %,d of them fraud%n", alerts, alertTopic, scoreField,
            trueAlerts);
        out.printf("precision:     %.3f   (alerts that are fraud)%n", precision());
        out.printf("recall:        %.3f   (fraud that was alerted)%n", recall());
        out.println("model versions (" + versionField + "):");
        for (final Map.Entry<String, Long> entry : new TreeMap<>(versions).entrySet())
        {
            out.printf("  %-14s %-20s %,d outputs%n", entry.getKey(),
                modelFiles.getOrDefault(entry.getKey(), "(unknown)"), entry.getValue());
        }
        for (final EngineMetrics.LearnSummary summary : learn)
        {
            out.printf("learn %s:  %,d updates, log-loss %.4f, AUC %.4f over the last %,d labels, model %s%n",
                summary.label(), summary.updates(), summary.logLoss(), summary.auc(), summary.window(),
                summary.version());
        }
    }

    /** What makes the demo fail: bad input, labels that changed on the way, a model that scored nothing. */
    List<String> problems(final Collection<String> expectedVersions)
    {
        final List<String> problems = new ArrayList<>();
        if (deadLetters > 0)
        {
            problems.add(deadLetters + " transactions were bad input (see " + deadLetterTopic + ")");
        }
        if (mismatchedLabels > 0)
        {
            problems.add(mismatchedLabels + " outputs do not carry their transaction's label");
        }
        for (final String version : expectedVersions)
        {
            if (!versions.containsKey(version))
            {
                problems.add("no output was scored by model version " + version);
            }
        }
        return problems;
    }
}
