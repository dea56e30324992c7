package dev.ringflow.engine.pipeline;

import java.util.List;

/**
 * A pipeline that cannot run, with every problem found: each names where (file, line, field path) and what was
 * expected.
 */
public final class PipelineValidationException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public PipelineValidationException(final String origin, final List<String> problems)
    {
        super(format(origin, problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems()
    {
        return problems;
    }

    private static String format(final String origin, final List<String> problems)
    {
        final StringBuilder sb = new StringBuilder("invalid pipeline ").append(origin).append(':');
        for (final String problem : problems)
        {
            sb.append(System.lineSeparator()).append("  ").append(problem);
        }
        return sb.toString();
    }
}
