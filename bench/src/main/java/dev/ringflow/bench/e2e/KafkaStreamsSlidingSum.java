package dev.ringflow.bench.e2e;

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
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (d) The seed sliding sum as a Kafka Streams application, written the way the Streams documentation suggests:
 * a {@code KStream} whose {@code processValues} keeps each key's last 5 values in a persistent (RocksDB,
 * changelogged, cached) key-value store and emits, on every record, the sum of the last {@code min(5, seen)}
 * values as integer text, keyed and timestamped like the input.
 * <p>
 * <b>Note:</b> Streams' defaults otherwise (one stream thread), except {@code commit.interval.ms}, set to
 * Ringflow's 100 ms for both guarantees (the at-least-once default is 30 s).
 */
public final class KafkaStreamsSlidingSum
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
     * Runs the application until SIGTERM, in a JVM of its own for the end-to-end harness.
     * <pre>
     * java -cp benchmarks.jar dev.ringflow.bench.e2e.KafkaStreamsSlidingSum --bootstrap-servers HOST:PORT
     *     --input TOPIC --output TOPIC --application-id ID --state-dir DIR [--at-least-once]
     * </pre>
     * Exactly-once v2 unless {@code --at-least-once}.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final Properties props = new Properties();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        String input = null;
        String output = null;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--bootstrap-servers" ->
                    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, HarnessOptions.value(args, ++i, arg));
                case "--input" -> input = HarnessOptions.value(args, ++i, arg);
                case "--output" -> output = HarnessOptions.value(args, ++i, arg);
                case "--application-id" ->
                    props.put(StreamsConfig.APPLICATION_ID_CONFIG, HarnessOptions.value(args, ++i, arg));
                case "--state-dir" -> props.put(StreamsConfig.STATE_DIR_CONFIG, HarnessOptions.value(args, ++i, arg));
                case "--at-least-once" -> props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                    StreamsConfig.AT_LEAST_ONCE);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (null == input || null == output || props.size() < 5)
        {
            throw new IllegalArgumentException("--bootstrap-servers, --input, --output, --application-id and " +
                "--state-dir are required");
        }
        final KafkaStreams streams = new KafkaStreams(topology(input, output, new AtomicLong()), props);
        final CountDownLatch stopped = new CountDownLatch(1);
        streams.setUncaughtExceptionHandler(error ->
        {
            error.printStackTrace();
            stopped.countDown();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            streams.close(CLOSE_TIMEOUT);
            stopped.countDown();
        }, "streams-stop"));
        streams.start();
        stopped.await();
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
