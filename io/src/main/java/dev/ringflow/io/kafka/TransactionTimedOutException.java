package dev.ringflow.io.kafka;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;

import java.util.concurrent.TimeUnit;

/**
 * Kafka aborted the sink's open transaction because it outlived the producer's {@code transaction.timeout.ms}: a
 * rebalance longer than that (commits wait for the group to rejoin) or a pause. The coordinator then bumps the
 * producer's epoch, so the producer's next request meets {@code InvalidProducerEpochException} (a send),
 * {@code ProducerFencedException} (the coordinator, as if a newer producer had taken over) or
 * {@code InvalidTxnStateException} (inside a commit). Nothing of the transaction became visible and its input was not
 * committed: a new engine recovers it from the journal, as a restarted daemon would.
 * <p>
 * Told apart from a real fencing (a newer producer with the same transactional id) by the transaction's age: one
 * open for less than the timeout was not aborted on it.
 */
public final class TransactionTimedOutException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    TransactionTimedOutException(final long openNs, final long timeoutNs, final Throwable kafkaFailure)
    {
        super("Kafka aborted the open transaction: it had been open " + TimeUnit.NANOSECONDS.toMillis(openNs) +
            " ms, longer than the producer's transaction.timeout.ms (" + TimeUnit.NANOSECONDS.toMillis(timeoutNs) +
            " ms)", kafkaFailure);
    }

    /**
     * @param failure   what Kafka answered the producer.
     * @param openNs    how long the transaction had been open (since its first output) when the answer came.
     * @param timeoutNs the producer's {@code transaction.timeout.ms}.
     * @return true when the answer says the transaction was aborted and the transaction was old enough for that to
     * be its timeout.
     */
    static boolean isTimeout(final Throwable failure, final long openNs, final long timeoutNs)
    {
        return openNs >= timeoutNs && KafkaOutage.anyCause(failure, cause ->
            cause instanceof InvalidProducerEpochException || cause instanceof ProducerFencedException ||
                cause instanceof InvalidTxnStateException);
    }

    /** True when {@code failure}'s cause chain holds a {@link TransactionTimedOutException}. */
    public static boolean isIn(final Throwable failure)
    {
        return KafkaOutage.anyCause(failure, cause -> cause instanceof TransactionTimedOutException);
    }
}
