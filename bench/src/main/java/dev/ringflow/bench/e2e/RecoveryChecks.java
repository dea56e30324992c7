package dev.ringflow.bench.e2e;

import java.util.List;
import java.util.Locale;

/**
 * What {@link RecoveryTimeHarness} checks and feeds: the probe records sent before each restart, and the verdict on
 * the output topic after the last one.
 */
final class RecoveryChecks
{
    private RecoveryChecks()
    {
    }

    /**
     * Reads the output topic as committed and checks it holds exactly one right output per input, in order per key,
     * and that every restart recovered without a snapshot, emitting nothing again; says what it found in {@code notes}.
     */
    static boolean outputs(final String servers, final int keys, final InputSequence all, final long records,
        final int restarts, final List<RecoveryReport.Restart> results, final List<String> notes)
    {
        final String topic = RecoveryTimeHarness.OUTPUT_TOPIC;
        final long inputs = all.records();
        final OutputTopicReader.Contents contents = OutputTopicReader.read(servers, topic, keys, inputs);
        final String difference = contents.sequences().firstDifference(KeyedSequences.expectedSlidingSums(all));
        boolean passed = true;
        if (contents.records() != inputs || contents.unparseable() > 0 || null != difference)
        {
            passed = false;
            notes.add(String.format(Locale.ROOT, "FAILED: %s holds %,d outputs (%,d unparseable) for %,d inputs; %s",
                topic, contents.records(), contents.unparseable(), inputs,
                null == difference ? "the per-key sums match" : difference));
        }
        else
        {
            notes.add(String.format(Locale.ROOT, "Checked: after the last restart `%s`, read as committed, holds " +
                "exactly one output per input (%,d = %,d preloaded + %d probes), each the expected sliding sum of " +
                "its key, in order.", topic, contents.records(), records, restarts));
        }
        for (final RecoveryReport.Restart r : results)
        {
            if (!r.noSnapshot() || r.emittedAgain() != 0 || r.otherOutputs() != 0)
            {
                passed = false;
                notes.add(String.format(Locale.ROOT, "FAILED: restart %d: no snapshot %b, %,d outputs emitted " +
                    "again, %,d other outputs before the probe's (expected: true, 0, 0)", r.run(), r.noSnapshot(),
                    r.emittedAgain(), r.otherOutputs()));
            }
        }
        return passed;
    }

    /**
     * Probe {@code i} is record {@code N + i} of the input sequence, so the expected outputs are those of the
     * longer sequence. Each probe is sent with the wall time as its Kafka timestamp, which its output keeps.
     *
     * @return per restart {key, value}.
     */
    static int[][] probeRecords(final InputSequence all, final long records, final int restarts)
    {
        final int[][] probes = new int[restarts][];
        all.forEach((index, key, value) ->
        {
            if (index >= records)
            {
                probes[(int)(index - records)] = new int[] { key, value };
            }
        });
        return probes;
    }
}
