package dev.ringflow.io.kafka;

/**
 * Kafka could not be reached or refused what the pipeline needs; the message says what to check.
 */
public final class KafkaUnavailableException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public KafkaUnavailableException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
