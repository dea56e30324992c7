package dev.ringflow.tools;

import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.WindowTaskSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's referee: what the seed pipelines must output for the generated input, computed the slow obvious
 * way, and what they did output, read back from Kafka.
 */
final class DemoCheck
{
    private final List<DemoCommand.DemoRecord> input;
    private final String sumTopic;
    private final String transformTopic;
    private final String deadLetterTopic;
    private final int range;
    private final Map<String, List<String>> expectedSums = new LinkedHashMap<>();
    private final Map<String, List<String>> expectedTransforms = new LinkedHashMap<>();
    private final Map<String, List<String>> actualSums = new LinkedHashMap<>();
    private final Map<String, List<String>> actualTransforms = new LinkedHashMap<>();
    private final List<String> actualDeadLetters = new ArrayList<>();
    private int expectedDeadLetters;

    DemoCheck(final List<DemoCommand.DemoRecord> input, final PipelineSpec slidingSum, final PipelineSpec transform)
    {
        this.input = input;
        this.sumTopic = slidingSum.sink().topic();
        this.deadLetterTopic = slidingSum.sink().deadLetterTopic();
        this.transformTopic = transform.sink().topic();
        this.range = ((WindowTaskSpec)slidingSum.tasks().get(0)).range();

        final Map<String, List<Long>> seen = new LinkedHashMap<>();
        for (final DemoCommand.DemoRecord record : input)
        {
            expectedTransforms.computeIfAbsent(record.key(), k -> new ArrayList<>()).add("Processed: " + record.value());
            final Long value = parseOrNull(record.value());
            if (null == value)
            {
                expectedDeadLetters++;
                continue;
            }
            final List<Long> values = seen.computeIfAbsent(record.key(), k -> new ArrayList<>());
            values.add(value);
            long sum = 0;
            for (int i = Math.max(0, values.size() - range); i < values.size(); i++)
            {
                sum += values.get(i);
            }
            expectedSums.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Long.toString(sum));
        }
    }

    /**
     * Reads the output topics until every expected record is there or the deadline passes.
     */
    boolean awaitOutputs(final String servers, final long timeoutMs)
    {
        final int expectedSumCount = count(expectedSums);
        final int expectedTransformCount = count(expectedTransforms);
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        try (KafkaConsumer<String, String> consumer =
            DemoConsumers.fromBeginning(servers, List.of(sumTopic, transformTopic, deadLetterTopic), false))
        {
            while (System.currentTimeMillis() < deadlineMs)
            {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                {
                    if (record.topic().equals(sumTopic))
                    {
                        actualSums.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                    }
                    else if (record.topic().equals(transformTopic))
                    {
                        actualTransforms.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                    }
                    else
                    {
                        actualDeadLetters.add(record.value());
                    }
                }
                if (count(actualSums) >= expectedSumCount && count(actualTransforms) >= expectedTransformCount &&
                    actualDeadLetters.size() >= expectedDeadLetters)
                {
                    return true;
                }
            }
        }
        return false;
    }

    List<String> mismatches()
    {
        final List<String> mismatches = new ArrayList<>();
        compare(sumTopic, expectedSums, actualSums, mismatches);
        compare(transformTopic, expectedTransforms, actualTransforms, mismatches);
        if (actualDeadLetters.size() != expectedDeadLetters)
        {
            mismatches.add(deadLetterTopic + ": expected " + expectedDeadLetters + " dead letters, got " +
                actualDeadLetters.size());
        }
        return mismatches;
    }

    void print(final PrintStream out)
    {
        final String key = "sensor-1";
        out.println();
        out.printf("First inputs of key %s beside the outputs they caused:%n", key);
        out.printf("  %-8s | %-24s %-8s | %s%n", "input", "last " + range + " values", "sum", "transform output");
        out.printf("  %-8s-+-%-24s-%-8s-+-%s%n", "--------", "------------------------", "--------",
            "----------------");
        final List<Long> window = new ArrayList<>();
        final List<String> sums = actualSums.getOrDefault(key, List.of());
        final List<String> transforms = actualTransforms.getOrDefault(key, List.of());
        int shown = 0;
        int sumIndex = 0;
        int transformIndex = 0;
        for (final DemoCommand.DemoRecord record : input)
        {
            if (!record.key().equals(key))
            {
                continue;
            }
            final Long value = parseOrNull(record.value());
            String windowText = "(bad input: dead-lettered)";
            String sum = "-";
            if (null != value)
            {
                window.add(value);
                if (window.size() > range)
                {
                    window.remove(0);
                }
                windowText = window.toString();
                sum = sumIndex < sums.size() ? sums.get(sumIndex) : "?";
                sumIndex++;
            }
            final String transformed = transformIndex < transforms.size() ? transforms.get(transformIndex) : "?";
            transformIndex++;
            if (shown++ < 12 || null == value)
            {
                out.printf("  %-8s | %-24s %-8s | %s%n", "'" + record.value() + "'", windowText, sum, transformed);
            }
        }
        out.println();
        out.printf("%s: %,d inputs -> %,d outputs on %s, %d bad inputs on %s%n", "seed-sliding-sum", input.size(),
            count(actualSums), sumTopic, actualDeadLetters.size(), deadLetterTopic);
        out.printf("%s: %,d inputs -> %,d outputs on %s%n", "seed-transform", input.size(),
            count(actualTransforms), transformTopic);
    }

    private static void compare(final String topic, final Map<String, List<String>> expected,
        final Map<String, List<String>> actual, final List<String> mismatches)
    {
        for (final Map.Entry<String, List<String>> entry : expected.entrySet())
        {
            final List<String> got = actual.getOrDefault(entry.getKey(), List.of());
            if (!got.equals(entry.getValue()))
            {
                mismatches.add(topic + " key " + entry.getKey() + ": expected " + entry.getValue().size() +
                    " outputs, got " + got.size() + firstDifference(entry.getValue(), got));
            }
        }
        for (final String key : actual.keySet())
        {
            if (!expected.containsKey(key))
            {
                mismatches.add(topic + ": unexpected key " + key);
            }
        }
    }

    private static String firstDifference(final List<String> expected, final List<String> got)
    {
        for (int i = 0; i < Math.min(expected.size(), got.size()); i++)
        {
            if (!expected.get(i).equals(got.get(i)))
            {
                return "; first difference at #" + i + ": expected '" + expected.get(i) + "', got '" + got.get(i) + "'";
            }
        }
        return "";
    }

    private static int count(final Map<String, List<String>> byKey)
    {
        int count = 0;
        for (final List<String> values : byKey.values())
        {
            count += values.size();
        }
        return count;
    }

    private static Long parseOrNull(final String text)
    {
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }
}
