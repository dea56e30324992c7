package dev.ringflow.io.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A member of a consumer group that holds whatever partitions the group gives it without processing or
 * committing anything, until closed (then it leaves the group and its partitions move on).
 */
final class GroupSquatter implements AutoCloseable
{
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile int owned;
    private volatile boolean closed;

    GroupSquatter(final String servers, final String group, final String topic)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        thread = new Thread(this::run, "group-squatter");
        thread.setDaemon(true);
        thread.start();
    }

    /** The number of partitions it holds now. */
    int owned()
    {
        return owned;
    }

    private void run()
    {
        try
        {
            while (!closed)
            {
                consumer.poll(Duration.ofMillis(100));
                owned = consumer.assignment().size();
            }
        }
        catch (final WakeupException ex)
        {
            // Closing.
        }
        finally
        {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        if (closed)
        {
            return;
        }
        closed = true;
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
