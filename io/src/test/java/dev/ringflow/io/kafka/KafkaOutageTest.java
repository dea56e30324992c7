package dev.ringflow.io.kafka;

import dev.ringflow.engine.SinkException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaOutageTest
{
    @Test
    void shouldTellTimeoutsAndRetriableErrorsFromRefusalsThroughTheCauseChain()
    {
        assertThat(KafkaOutage.isOutage(new SinkException("cannot commit",
            new TimeoutException("Timeout expired after 30000ms while awaiting EndTxn(true)")))).isTrue();
        assertThat(KafkaOutage.isOutage(new SinkException("send failed", new NotCoordinatorException("moved"))))
            .isTrue();
        assertThat(KafkaOutage.isOutage(new KafkaUnavailableException("cannot reach Kafka",
            new java.util.concurrent.TimeoutException()))).isTrue();

        assertThat(KafkaOutage.isOutage(new SinkException("fenced", new ProducerFencedException("newer")))).isFalse();
        assertThat(KafkaOutage.isOutage(new SinkException("dropped by the group", null))).isFalse();
        assertThat(KafkaOutage.isOutage(new CommitFailedException())).isFalse();
        assertThat(KafkaOutage.isOutage(new KafkaUnavailableException("Kafka refused a request",
            new TopicAuthorizationException(Set.of("out"))))).isFalse();
        assertThat(KafkaOutage.isOutage(new SinkException("cannot write", new SaslAuthenticationException(
            "Authentication failed during re-authentication due to invalid credentials")))).isFalse();
        assertThat(KafkaOutage.isOutage(new SinkException("cannot commit", new TimeoutException("no answer",
            new SaslAuthenticationException("Authentication failed"))))).as("a refusal inside a timeout").isFalse();
    }

    /**
     * A transaction Kafka aborted on its timeout starts the pipeline again: an abort's answers from a transaction at
     * least as old as the timeout. A younger one was fenced by a newer producer, and an outage is no abort.
     */
    @Test
    void shouldTellATransactionKafkaAbortedOnItsTimeoutByItsAnswerAndItsAge()
    {
        final long timeoutNs = 10_000_000_000L;
        assertThat(TransactionTimedOutException.isTimeout(new InvalidProducerEpochException("old epoch"),
            timeoutNs, timeoutNs)).isTrue();
        assertThat(TransactionTimedOutException.isTimeout(new KafkaException("commit failed",
            new InvalidTxnStateException("not ongoing")), 3 * timeoutNs, timeoutNs)).isTrue();
        assertThat(TransactionTimedOutException.isTimeout(new ProducerFencedException("a newer producer"),
            2 * timeoutNs, timeoutNs)).as("the coordinator's answer to a producer whose epoch it bumped").isTrue();

        assertThat(TransactionTimedOutException.isTimeout(new ProducerFencedException("a newer producer"),
            timeoutNs - 1, timeoutNs)).as("fenced before its timeout: a newer producer").isFalse();
        assertThat(TransactionTimedOutException.isTimeout(new TimeoutException("no answer"), 2 * timeoutNs,
            timeoutNs)).as("an outage, told apart by KafkaOutage").isFalse();

        final SinkException stopped = new SinkException("cannot write to Kafka topic 'out'",
            new TransactionTimedOutException(2 * timeoutNs, timeoutNs, new InvalidProducerEpochException("old")));
        assertThat(TransactionTimedOutException.isIn(stopped)).isTrue();
        assertThat(stopped.getCause()).hasMessage("Kafka aborted the open transaction: it had been open 20000 ms, " +
            "longer than the producer's transaction.timeout.ms (10000 ms)");
        assertThat(TransactionTimedOutException.isIn(new SinkException("fenced",
            new ProducerFencedException("a newer producer")))).isFalse();
        assertThat(KafkaOutage.isOutage(stopped)).as("no outage: waiting would not end it").isFalse();
    }

    @Test
    void shouldRetryAnAttemptWhileKafkaDoesNotAnswerAndReturnItsResult()
    {
        final AtomicInteger attempts = new AtomicInteger();

        final String result = KafkaOutage.retry("Kafka", KafkaOutage.WAIT_UNTIL_ANSWERED, () -> false, timeoutMs ->
        {
            assertThat(timeoutMs).isEqualTo(KafkaOutage.ATTEMPT_TIMEOUT_MS);
            if (attempts.incrementAndGet() < 3)
            {
                throw new TimeoutException("no answer");
            }
            return "answered";
        });

        assertThat(result).isEqualTo("answered");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void shouldThrowARefusalAtOnce()
    {
        final AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> KafkaOutage.retry("Kafka", KafkaOutage.WAIT_UNTIL_ANSWERED, () -> false,
            timeoutMs ->
            {
                attempts.incrementAndGet();
                throw new ProducerFencedException("newer");
            })).isInstanceOf(ProducerFencedException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void shouldGiveUpWhenTheTimeoutHasPassedOrAStopIsRequested()
    {
        assertThatThrownBy(() -> KafkaOutage.retry("Kafka", 1, () -> false, timeoutMs ->
        {
            assertThat(timeoutMs).isEqualTo(1);
            sleepMs(5);
            throw new TimeoutException("no answer");
        })).isInstanceOf(TimeoutException.class);

        assertThatThrownBy(() -> KafkaOutage.retry("Kafka", KafkaOutage.WAIT_UNTIL_ANSWERED, () -> true,
            timeoutMs ->
            {
                throw new TimeoutException("no answer");
            })).isInstanceOf(TimeoutException.class);
    }

    /** Lets the attempt outlast its 1 ms timeout, as a real one would. */
    private static void sleepMs(final long ms)
    {
        java.util.concurrent.locks.LockSupport.parkNanos(ms * 1_000_000);
    }
}
