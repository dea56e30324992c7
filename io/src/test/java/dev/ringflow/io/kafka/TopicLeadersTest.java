package dev.ringflow.io.kafka;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TopicLeaders on a real broker: it returns once every partition of topics just created has a leader, and gives up
 * at its deadline, naming what it waited for, on a topic that never appears.
 */
class TopicLeadersTest
{
    @Test
    void shouldReturnOnceEveryPartitionOfNewTopicsHasALeaderAndTimeOutOnATopicThatNeverComes() throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers())))
        {
            final List<String> topics = List.of("leaders-a", "leaders-b");
            admin.createTopics(List.of(new NewTopic("leaders-a", Optional.of(3), Optional.empty()),
                new NewTopic("leaders-b", Optional.of(5), Optional.empty()))).all().get(30, TimeUnit.SECONDS);

            TopicLeaders.await(admin, topics, 30_000);

            final Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(30, TimeUnit.SECONDS);
            assertThat(described.get("leaders-a").partitions()).hasSize(3);
            assertThat(described.get("leaders-b").partitions()).hasSize(5);
            for (final TopicDescription description : described.values())
            {
                for (final TopicPartitionInfo partition : description.partitions())
                {
                    assertThat(partition.leader()).isNotNull();
                    assertThat(partition.leader().isEmpty()).isFalse();
                }
            }

            final long startNs = System.nanoTime();
            assertThatThrownBy(() -> TopicLeaders.await(admin, List.of("leaders-never-created"), 300))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("leaders-never-created")
                .hasMessageContaining("300 ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs)).isLessThan(10_000);

            // Nothing to wait for.
            TopicLeaders.await(admin, List.of(), 1);
        }
    }
}
