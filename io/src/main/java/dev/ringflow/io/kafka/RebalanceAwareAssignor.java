package dev.ringflow.io.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cooperative-sticky assignor, telling the sink when its consumer starts to rejoin the group.
 * <p>
 * A cooperative member keeps consuming its partitions through a rebalance, so its workers keep committing
 * transactions, with the group generation of the last assignment. Once the rejoin completes, the coordinator
 * refuses that generation ("Specified group generation id is not valid"), before the consumer has told the sink the
 * new one in {@code onPartitionsAssigned}. The consumer asks the assignor for its subscription data just before it
 * sends its JoinGroup request: from there until the next assignment the sink does not commit, as Kafka Streams does
 * not commit during a rebalance.
 * <p>
 * <b>Note:</b> Made by the consumer, on its thread; it finds its {@link ConsumerGroupView} in the consumer's
 * configuration under {@link #GROUP_VIEW_CONFIG}.
 */
public final class RebalanceAwareAssignor implements ConsumerPartitionAssignor, Configurable
{
    /** The consumer property that carries the {@link ConsumerGroupView} (an object, not a string). */
    static final String GROUP_VIEW_CONFIG = "ringflow.consumer-group-view";

    private final CooperativeStickyAssignor delegate = new CooperativeStickyAssignor();
    private ConsumerGroupView group;

    @Override
    public void configure(final Map<String, ?> configs)
    {
        group = (ConsumerGroupView)configs.get(GROUP_VIEW_CONFIG);
    }

    @Override
    public ByteBuffer subscriptionUserData(final Set<String> topics)
    {
        if (null != group)
        {
            group.markRebalancing();
        }
        return delegate.subscriptionUserData(topics);
    }

    @Override
    public GroupAssignment assign(final Cluster metadata, final GroupSubscription groupSubscription)
    {
        return delegate.assign(metadata, groupSubscription);
    }

    @Override
    public void onAssignment(final Assignment assignment, final ConsumerGroupMetadata metadata)
    {
        delegate.onAssignment(assignment, metadata);
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols()
    {
        return delegate.supportedProtocols();
    }

    @Override
    public short version()
    {
        return delegate.version();
    }

    @Override
    public String name()
    {
        return delegate.name();
    }
}
