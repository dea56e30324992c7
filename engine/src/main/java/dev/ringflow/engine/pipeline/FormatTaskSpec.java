package dev.ringflow.engine.pipeline;

/**
 * Rewrites the value from a template: {@code {value}} stands for the current value and {@code {key}} for the
 * record key (empty for a null key); everything else is copied as is. {@code "Processed: {value}"} turns
 * {@code M} into {@code Processed: M}.
 *
 * @param template the output template.
 */
public record FormatTaskSpec(String template) implements TaskSpec
{
    public static final String TYPE = "format";

    @Override
    public String type()
    {
        return TYPE;
    }
}
