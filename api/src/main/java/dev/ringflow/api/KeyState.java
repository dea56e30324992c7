package dev.ringflow.api;

/**
 * The state of one key of a {@link KeyedFunction}: the numbers of slots the function declared, 0 for a key not
 * seen before. Changes become the key's state when {@code apply} returns normally and are discarded if it throws.
 * <p>
 * <b>Note:</b> Valid only during the {@code apply} call it is passed to. A slot index outside the declared count
 * throws {@link IndexOutOfBoundsException}.
 */
public interface KeyState
{
    /** True when no earlier record of this key was applied to successfully (all slots are then 0). */
    boolean isNew();

    double getDouble(int slot);

    void setDouble(int slot, double value);

    long getLong(int slot);

    void setLong(int slot, long value);
}
