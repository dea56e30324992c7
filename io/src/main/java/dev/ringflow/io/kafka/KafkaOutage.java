package dev.ringflow.io.kafka;

import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * Tells a Kafka outage (brokers not answering, a coordinator not available yet) from a refusal, and waits one out:
 * an attempt is repeated until Kafka answers, with a log line per failed attempt saying what is awaited.
 * <p>
 * <b>Note:</b> A refusal (authorisation, a fenced producer, a consumer the group dropped) is no outage: waiting
 * would not end it, so it is thrown at once.
 */
public final class KafkaOutage
{
    /** Wait for Kafka as long as it takes. */
    public static final long WAIT_UNTIL_ANSWERED = Long.MAX_VALUE;
    /** One attempt's bound, and so how often a waiting daemon says what it waits for. */
    static final long ATTEMPT_TIMEOUT_MS = 5_000;
    /** The pause between attempts that failed fast (connection refused), so that waiting does not spin. */
    private static final long RETRY_BACKOFF_MS = 1_000;
    private static final int MAX_CAUSE_DEPTH = 32;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutage.class);

    private KafkaOutage()
    {
    }

    /**
     * True when {@code failure} (or one of its causes) says Kafka did not answer in time or asked to be asked
     * again: a client timeout, a retriable Kafka error, or a preflight check without an answer; never when Kafka
     * refused the login somewhere in the chain.
     */
    public static boolean isOutage(final Throwable failure)
    {
        if (null != KafkaLoginFailure.find(failure))
        {
            // Kafka answered, with a refusal: a timeout or retriable error around it must not make it waited out.
            return false;
        }
        return anyCause(failure,
            cause -> cause instanceof RetriableException || cause instanceof java.util.concurrent.TimeoutException);
    }

    /** True when {@code failure} or one of its causes (to a depth of {@value #MAX_CAUSE_DEPTH}) is {@code kind}. */
    static boolean anyCause(final Throwable failure, final Predicate<Throwable> kind)
    {
        Throwable cause = failure;
        for (int depth = 0; null != cause && depth < MAX_CAUSE_DEPTH; depth++)
        {
            if (kind.test(cause))
            {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }

    /**
     * Runs {@code attempt} (given its timeout in ms) until it returns, repeating it while it fails with an
     * {@linkplain #isOutage outage}.
     *
     * @param what      what is awaited, for the log: "Kafka at host:9092".
     * @param timeoutMs how long to wait in all; {@link #WAIT_UNTIL_ANSWERED} for as long as it takes.
     * @param stop      asked between attempts: true gives up (a stop was requested).
     * @throws RuntimeException the attempt's last failure when it is no outage, when {@code timeoutMs} has passed
     *                          or when {@code stop} said so.
     */
    static <T> T retry(final String what, final long timeoutMs, final BooleanSupplier stop,
        final LongFunction<T> attempt)
    {
        final long startNs = System.nanoTime();
        int failures = 0;
        while (true)
        {
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            final long remainingMs = WAIT_UNTIL_ANSWERED == timeoutMs ? Long.MAX_VALUE : timeoutMs - waitedMs;
            final long attemptStartNs = System.nanoTime();
            try
            {
                final T result = attempt.apply(Math.max(1, Math.min(remainingMs, ATTEMPT_TIMEOUT_MS)));
                if (failures > 0)
                {
                    LOG.info("{} answered after {} s", what,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs));
                }
                return result;
            }
            catch (final RuntimeException ex)
            {
                final long nowWaitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                if (!isOutage(ex) || stop.getAsBoolean() ||
                    (WAIT_UNTIL_ANSWERED != timeoutMs && nowWaitedMs >= timeoutMs))
                {
                    throw ex;
                }
                failures++;
                LOG.warn("waiting for {} ({} s so far): {}", what, nowWaitedMs / 1000, ex.getMessage());
            }
            final long attemptMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attemptStartNs);
            if (attemptMs < RETRY_BACKOFF_MS)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_BACKOFF_MS - attemptMs));
            }
        }
    }
}
