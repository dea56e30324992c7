package dev.ringflow.bench.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the end-to-end harness can run from the input topic to an output topic, each as a JVM of its own.
 */
enum Scenario
{
    /** {@link PassThroughMain}: every record forwarded unchanged, flush + {@code commitSync} per poll. */
    PLAIN("plain", "plain pass-through (consume -> produce, flush + commitSync per poll)", false),
    /** {@link PassThroughMain} {@code --exactly-once}: transactions committed every commit interval. */
    EOS("eos", "exactly-once pass-through (transactions, commit every engine.commit-interval-ms)", false),
    /**
     * {@link PassThroughMain} {@code --exactly-once --journal DIR}: the exactly-once loop that also appends every
     * input to a journal with Ringflow's own Chronicle code, in its one thread, before forwarding it: a bound for
     * any exactly-once pipeline that journals its input, as Ringflow's default does.
     */
    EOS_JOURNAL("eos-journal", "exactly-once pass-through journaling every input (Ringflow's Chronicle journal, " +
        "in the loop's thread)", false),
    /** {@code ringflow run}, the seed pipeline as it is: journal on, exactly-once. */
    DEFAULT("default", "Ringflow default (journal, exactly-once)", true),
    /** {@code ringflow run} with {@code sink.delivery: at-least-once}: journal on, no transactions. */
    ALO("alo", "Ringflow journal + at-least-once", true),
    /** {@code ringflow run --no-journal}: no journal, at-least-once. */
    NO_JOURNAL("no-journal", "Ringflow --no-journal (at-least-once)", true),
    /** {@link KafkaStreamsSlidingSum}, exactly-once v2. */
    STREAMS("streams", "Kafka Streams exactly_once_v2, RocksDB store", true),
    /** {@link KafkaStreamsSlidingSum}, at-least-once. */
    STREAMS_ALO("streams-alo", "Kafka Streams at_least_once, RocksDB store", true);

    /** What runs unless {@code --scenarios} says otherwise: Kafka Streams is slow, so it is asked for by name. */
    static final List<Scenario> DEFAULTS = List.of(PLAIN, EOS, DEFAULT, ALO, NO_JOURNAL);

    private final String key;
    private final String title;
    private final boolean slidingSum;

    Scenario(final String key, final String title, final boolean slidingSum)
    {
        this.key = key;
        this.title = title;
        this.slidingSum = slidingSum;
    }

    /** The name on the command line ({@code --scenarios}) and in topic and group names. */
    String key()
    {
        return key;
    }

    String title()
    {
        return title;
    }

    /** @return true when the outputs are the sliding sums, false when they are the input, forwarded. */
    boolean computesSlidingSum()
    {
        return slidingSum;
    }

    /** @return true when the run appends every input to a journal on disk. */
    boolean journals()
    {
        return this == EOS_JOURNAL || this == DEFAULT || this == ALO;
    }

    boolean isRingflow()
    {
        return this == DEFAULT || this == ALO || this == NO_JOURNAL;
    }

    /**
     * @param list scenario keys separated by commas, e.g. {@code plain,eos,default}.
     * @throws IllegalArgumentException naming an unknown key.
     */
    static List<Scenario> parseList(final String list)
    {
        final List<Scenario> scenarios = new ArrayList<>();
        for (final String key : list.split(","))
        {
            final Scenario scenario = byKey(key.trim().toLowerCase(Locale.ROOT));
            if (!scenarios.contains(scenario))
            {
                scenarios.add(scenario);
            }
        }
        return scenarios;
    }

    private static Scenario byKey(final String key)
    {
        for (final Scenario scenario : values())
        {
            if (scenario.key.equals(key))
            {
                return scenario;
            }
        }
        final List<String> keys = new ArrayList<>();
        for (final Scenario scenario : values())
        {
            keys.add(scenario.key);
        }
        throw new IllegalArgumentException("unknown scenario '" + key + "'; known: " + String.join(", ", keys));
    }
}
