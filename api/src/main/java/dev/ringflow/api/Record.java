package dev.ringflow.api;

/**
 * One JSON record as a function sees it: its fields, read and set through handles, its key and its event time.
 * Fields set here are seen by the tasks after the function and written into the output; the others are copied
 * from the input byte for byte.
 * <p>
 * <b>Note:</b> Valid only during the {@code apply} call it is passed to. Nothing here allocates; a string read
 * with {@link #getString} is a view reused by the next read of the same field.
 */
public interface Record
{
    /** What the field holds in this record. */
    FieldKind kind(FieldRef field);

    /** True when the field is absent or JSON {@code null}. */
    boolean isMissing(FieldRef field);

    /**
     * A number field's value; {@link Double#NaN} when the field is missing, null or not a number (a JSON number is
     * never NaN, so NaN means "no number").
     */
    double getDouble(FieldRef field);

    /**
     * A number field's value as a {@code long}, read exactly from its text; {@code missingValue} when the field is
     * missing, not a number, not an integer or out of range.
     */
    long getLong(FieldRef field, long missingValue);

    /** A boolean field's value; {@code missingValue} when the field is missing or not a boolean. */
    boolean getBoolean(FieldRef field, boolean missingValue);

    /**
     * A string field's text, JSON escapes resolved; null when the field is missing or not a string. The view is
     * valid until this field is read again or {@code apply} returns: copy it ({@code toString()}, which allocates)
     * to keep it. To compare it with a constant, {@link #stringEquals} is shorter and null-safe.
     */
    CharSequence getString(FieldRef field);

    /** True when the field is a string whose text is {@code text}: {@code record.stringEquals(status, "DECLINED")}. */
    boolean stringEquals(FieldRef field, CharSequence text);

    /**
     * Sets a top-level field to a number.
     *
     * @throws IllegalArgumentException for a nested path, or a value that is NaN or infinite (JSON has no such
     *                                  number).
     */
    void setDouble(FieldRef field, double value);

    /**
     * Sets a top-level field to an integer; a value beyond +/-2^53 is written to 17 significant digits.
     *
     * @throws IllegalArgumentException for a nested path.
     */
    void setLong(FieldRef field, long value);

    /** Sets a top-level field to a boolean; {@link IllegalArgumentException} for a nested path. */
    void setBoolean(FieldRef field, boolean value);

    /**
     * Sets a top-level field to a string (copied); {@code null} sets JSON null.
     *
     * @throws IllegalArgumentException for a nested path.
     */
    void setString(FieldRef field, CharSequence value);

    /** Sets a top-level field to JSON null; {@link IllegalArgumentException} for a nested path. */
    void setNull(FieldRef field);

    /** Removes a top-level field from the record; {@link IllegalArgumentException} for a nested path. */
    void remove(FieldRef field);

    /** The record's key as text (empty for a record without a key); a view, valid until {@code apply} returns. */
    CharSequence key();

    /**
     * The record's event time in epoch milliseconds (its Kafka timestamp, or the time a window gave it): the only
     * clock a function should use, so that replay gives the same results.
     */
    long timestampMs();
}
