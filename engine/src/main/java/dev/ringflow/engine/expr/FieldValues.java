package dev.ringflow.engine.expr;

/**
 * Read access to the fields of the event being evaluated, by the ids a {@link FieldResolver} handed out when the
 * expression was compiled; implemented by the engine's event record.
 * <p>
 * <b>Note:</b> Worker thread only. Implementations must not allocate in these calls: an expression's evaluation
 * is allocation free only if its event is.
 * <p>
 * <b>Note:</b> The bytes of a string field are valid until this {@code FieldValues} is asked about another field;
 * an expression reads {@link #stringBytes}, {@link #stringOffset} and {@link #stringLength} of one field together.
 */
public interface FieldValues
{
    /** The field is absent from the event (or a parent object on its path is absent, null or not an object). */
    int MISSING = 0;
    /** The field is JSON {@code null}. */
    int NULL = 1;
    int NUMBER = 2;
    int STRING = 3;
    int BOOLEAN = 4;
    /** The field is an object or an array. */
    int OTHER = 5;

    /**
     * @param field an id from {@link FieldResolver#fieldId}.
     * @return one of {@link #MISSING}, {@link #NULL}, {@link #NUMBER}, {@link #STRING}, {@link #BOOLEAN},
     * {@link #OTHER}.
     */
    int kind(int field);

    /** A JSON number's value; valid when {@link #kind} is {@link #NUMBER}. */
    double number(int field);

    /** Valid when {@link #kind} is {@link #BOOLEAN}. */
    boolean bool(int field);

    /** The string's UTF-8 bytes, unescaped; valid when {@link #kind} is {@link #STRING}. */
    byte[] stringBytes(int field);

    int stringOffset(int field);

    int stringLength(int field);
}
