package dev.ringflow.bench.e2e;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * (d) The seed sliding sum as a Kafka Streams application, written the way the Streams documentation suggests:
 * a {@code KStream} whose {@code processValues} keeps each key's last 5 values in a persistent (RocksDB,
 * changelogged, cached) key-value store and emits, on every record, the sum of the last {@code min(5, seen)}
 * values as integer text, keyed and timestamped like the input.
 * <p>
 * <b>Note:</b> Streams' defaults otherwise (one stream thread), except {@code commit.interval.ms}, set to
 * Ringflow's 100 ms for both guarantees (the at-least-once default is 30 s).
 */
final class KafkaStreamsSlidingSum
{
    static final String STORE = "last-values";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private KafkaStreamsSlidingSum()
    {
    }

    /** The topology: input topic -> sliding sum per key -> output topic, strings in and out. */
    static Topology topology(final String input, final String output, final AtomicLong processed)
    {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE), Serdes.String(), lastValuesSerde()).withCachingEnabled());
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
            .processValues(() -> new SlidingSum(processed), STORE)
            .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    /**
     * Runs the application as {@code applicationId} (its consumer group) until the group has committed
     * {@code inputEnds}, then closes it (the caller deletes {@code stateDir}).
     *
     * @param guarantee {@link StreamsConfig#EXACTLY_ONCE_V2} or {@link StreamsConfig#AT_LEAST_ONCE}.
     */
    static ScenarioResult run(final String name, final String servers, final String input, final String output,
        final String applicationId, final String guarantee, final Path stateDir,
        final Map<TopicPartition, Long> inputEnds)
    {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        final long records = GroupOffsets.sum(inputEnds);
        final AtomicLong processed = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (GroupOffsets offsets = new GroupOffsets(servers))
        {
            final long startNs = System.nanoTime();
            final KafkaStreams streams = new KafkaStreams(topology(input, output, processed), props);
            try
            {
                streams.setUncaughtExceptionHandler(error ->
                {
                    failure.compareAndSet(null, error);
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                });
                streams.start();
                final ProgressWatch.Timing timing = ProgressWatch.await(name, startNs,
                    ProgressWatch.deadlineFor(records), processed::get,
                    () -> offsets.hasCommitted(applicationId, inputEnds),
                    () -> null != failure.get() ? failure.get() : streams.state() == KafkaStreams.State.ERROR ?
                        new IllegalStateException("the Streams client is in state ERROR") : null);
                return new ScenarioResult(name, records, timing);
            }
            finally
            {
                if (!streams.close(CLOSE_TIMEOUT))
                {
                    throw new IllegalStateException(name + ": Kafka Streams did not close within " +
                        CLOSE_TIMEOUT.toSeconds() + " s");
                }
            }
        }
    }

    /** The state of one key: its last values, oldest first, at most {@link KeyedSequences#SLIDING_RANGE}. */
    static Serde<long[]> lastValuesSerde()
    {
        final Serializer<long[]> serializer = (topic, values) ->
        {
            if (null == values)
            {
                return null;
            }
            final ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES * values.length);
            for (final long value : values)
            {
                buffer.putLong(value);
            }
            return buffer.array();
        };
        final Deserializer<long[]> deserializer = (topic, bytes) ->
        {
            if (null == bytes)
            {
                return null;
            }
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            final long[] values = new long[bytes.length / Long.BYTES];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = buffer.getLong();
            }
            return values;
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** Sum of each key's last 5 values, emitted on every record. */
    static final class SlidingSum implements FixedKeyProcessor<String, String, String>
    {
        private final AtomicLong processed;
        private FixedKeyProcessorContext<String, String> context;
        private KeyValueStore<String, long[]> store;

        SlidingSum(final AtomicLong processed)
        {
            this.processed = processed;
        }

        @Override
        public void init(final FixedKeyProcessorContext<String, String> context)
        {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(final FixedKeyRecord<String, String> record)
        {
            final long value = Long.parseLong(record.value().trim());
            final long[] previous = store.get(record.key());
            final long[] last;
            if (null == previous)
            {
                last = new long[] { value };
            }
            else if (previous.length < KeyedSequences.SLIDING_RANGE)
            {
                last = Arrays.copyOf(previous, previous.length + 1);
                last[previous.length] = value;
            }
            else
            {
                last = new long[KeyedSequences.SLIDING_RANGE];
                System.arraycopy(previous, 1, last, 0, KeyedSequences.SLIDING_RANGE - 1);
                last[KeyedSequences.SLIDING_RANGE - 1] = value;
            }
            store.put(record.key(), last);
            long sum = 0;
            for (final long element : last)
            {
                sum += element;
            }
            context.forward(record.withValue(Long.toString(sum)));
            processed.incrementAndGet();
        }
    }
}
