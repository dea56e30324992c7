package dev.ringflow.engine.pipeline;

/**
 * Re-keys a JSON event by a field or expression: the value becomes the output record's key and the key that later
 * windows group by. Strings key as their text, numbers as their shortest JSON text, booleans as true or false.
 *
 * @param expression a field name or any expression.
 */
public record KeyByTaskSpec(String expression) implements TaskSpec
{
    public static final String TYPE = "key-by";

    @Override
    public String type()
    {
        return TYPE;
    }
}
