package dev.ringflow.api;

/**
 * Where the record a function is applying to goes. By default it goes on to the next task; the calls here change
 * that, and take effect when {@code apply} returns, with the record's fields as they are then.
 * <p>
 * <b>Note:</b> Valid only during the {@code apply} call it is passed to. If {@code apply} throws, nothing asked
 * for here happens: the input is dead-lettered instead.
 */
public interface Emitter
{
    /** The record leaves the pipeline here, as a {@code filter} that does not keep it. */
    void drop();

    /**
     * The record goes to {@code topic} instead of on to the next task, as a {@code route} task sends it. Routing
     * to several topics, or with {@link #copyTo}, sends it to each.
     */
    void route(RouteRef topic);

    /** A copy of the record goes to {@code topic}, and the record goes on: a {@code route} with {@code continue}. */
    void copyTo(RouteRef topic);

    /**
     * The input is bad: it goes to the dead-letter topic with {@code reason}, as a failed {@code where} does, and
     * nothing else happens to it. Pass a constant string: this is the expected path, not the exceptional one.
     */
    void reject(String reason);
}
