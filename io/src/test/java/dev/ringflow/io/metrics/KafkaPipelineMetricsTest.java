package dev.ringflow.io.metrics;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.WorkerMetrics;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.io.TestSeeds;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.io.kafka.KafkaPipeline;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pipeline on the embedded broker, watched from outside through its endpoint: readiness goes from 503 to 200,
 * and the scraped counters equal what was sent and produced.
 */
class KafkaPipelineMetricsTest
{
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    @Test
    void shouldCountEveryRecordAndBecomeReadyOnceAssigned() throws Exception
    {
        final Random random = new Random(TestSeeds.seed("shouldCountEveryRecordAndBecomeReadyOnceAssigned"));
        final int records = 2_000 + random.nextInt(2_000);
        final int bad = 1 + random.nextInt(10);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
             MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0)))
        {
            broker.createTopic("in", PARTITIONS);
            final PipelineSpec spec = PipelineBuilder.named("watched").source("in")
                .window(3, 1, Aggregation.SUM, ValueKind.LONG).sink("out").deadLetterTopic("dlq")
                .kafkaProperty("bootstrap.servers", broker.bootstrapServers()).build()
                .withJournalDir(dir.resolve("journal").toString());
            final Set<String> notReadyBodies = new LinkedHashSet<>();
            notReadyBodies.add(Scrape.get(server.url(), "/health/ready").body());

            final Engine engine = KafkaPipeline.start(spec, 30_000, (started, source, sink, journalDir) ->
                server.register(new PipelineMetrics(started, source, sink, journalDir)));
            try
            {
                Scrape.awaitUntil("ready", () ->
                {
                    final Scrape.Response ready = Scrape.get(server.url(), "/health/ready");
                    if (ready.status() == 503)
                    {
                        notReadyBodies.add(ready.body());
                    }
                    return ready.status() == 200;
                }, 60_000);
                assertThat(notReadyBodies).first().asString().contains("starting");
                assertThat(notReadyBodies).allSatisfy(body -> assertThat(body).matches(
                    "\\{\"status\":\"not-ready\",\"reason\":\"(starting: no pipeline is running yet|partitions " +
                        "not assigned yet|restoring state from the journal)\"}"));

                produce(broker.bootstrapServers(), random, records, bad);
                final String[] text = new String[1];
                // The brokers acknowledge a transaction's records before it commits: wait for a commit too.
                Scrape.awaitUntil("every record produced, a transaction committed and the lag at 0", () ->
                {
                    text[0] = Scrape.get(server.url(), "/metrics").body();
                    return Scrape.value(text[0], "ringflow_records_produced_total", "topic=\"out\"") ==
                        records - bad && Scrape.value(text[0], "ringflow_consumer_lag_records") == 0 &&
                        Scrape.value(text[0], "ringflow_transaction_commit_seconds_count") > 0;
                }, 60_000);

                final String metrics = text[0];
                assertThat(Scrape.value(metrics, "ringflow_records_consumed_total", "topic=\"in\"")).isEqualTo(records);
                assertThat(Scrape.value(metrics, "ringflow_events_in_total")).isEqualTo(records);
                assertThat(Scrape.value(metrics, "ringflow_events_out_total")).isEqualTo(records - bad);
                assertThat(Scrape.value(metrics, "ringflow_bad_input_total")).isEqualTo(bad);
                assertThat(Scrape.value(metrics, "ringflow_records_produced_total", "topic=\"dlq\"")).isEqualTo(bad);
                assertThat(Scrape.value(metrics, "ringflow_assigned_partitions")).isEqualTo(PARTITIONS);
                for (int p = 0; p < PARTITIONS; p++)
                {
                    assertThat(Scrape.value(metrics, "ringflow_consumer_lag_records", "partition=\"" + p + "\""))
                        .as("lag of partition %d", p).isZero();
                }
                assertThat(Scrape.value(metrics, "ringflow_latency_seconds_count", "stage=\"end_to_end\""))
                    .isBetween((double) records / WorkerMetrics.LATENCY_SAMPLE_INTERVAL, (double) records);
                assertThat(Scrape.value(metrics, "ringflow_journal_appends_total")).isGreaterThanOrEqualTo(records);
                assertThat(Scrape.value(metrics, "ringflow_journal_size_bytes")).isPositive();
                assertThat(Scrape.value(metrics, "ringflow_rebalances_total")).isGreaterThanOrEqualTo(1);
                assertThat(Scrape.value(metrics, "ringflow_transaction_commit_seconds_count")).isPositive();
                assertThat(Scrape.value(metrics, "ringflow_transactions_committed_total")).isPositive();
                assertThat(Scrape.value(metrics, "ringflow_transactions_aborted_total")).isZero();
                assertThat(Scrape.value(metrics, "ringflow_ready")).isEqualTo(1);
                final String status = Scrape.get(server.url(), "/status.json").body();
                assertThat(status).startsWith("{\"status\":\"ready\",\"reason\":null,\"pipelines\":[{\"name\":" +
                    "\"watched\",\"ready\":true").contains("\"events_in\":" + records)
                    .contains("{\"topic\":\"in\",\"partition\":0,").contains("\"last_commit_ms\":")
                    .containsPattern("\"commits\":[1-9]");
            }
            finally
            {
                engine.close();
            }
            final Scrape.Response stopped = Scrape.get(server.url(), "/health/live");
            assertThat(stopped.status()).isEqualTo(503);
            assertThat(stopped.body()).contains("the pipeline has stopped");
        }
    }

    /** Sends {@code records} values to topic {@code in} over 20 keys; the first {@code bad} are not numbers. */
    static void produce(final String servers, final Random random, final int records, final int bad)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props))
        {
            for (int i = 0; i < records; i++)
            {
                final String value = i < bad ? "bad-" + i : Integer.toString(random.nextInt(100));
                producer.send(new ProducerRecord<>("in", "key-" + random.nextInt(20), value));
            }
            producer.flush();
        }
    }
}
