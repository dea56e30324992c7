package dev.ringflow.engine.function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * A {@link System.Logger} writing to SLF4J: the logger a function gets, so that the API needs no logging library
 * and a function's lines land in Ringflow's log.
 */
final class Slf4jSystemLogger implements System.Logger
{
    private final Logger log;

    Slf4jSystemLogger(final String name)
    {
        this.log = LoggerFactory.getLogger(name);
    }

    @Override
    public String getName()
    {
        return log.getName();
    }

    @Override
    public boolean isLoggable(final Level level)
    {
        return switch (level)
        {
            case ALL, TRACE -> log.isTraceEnabled();
            case DEBUG -> log.isDebugEnabled();
            case INFO -> log.isInfoEnabled();
            case WARNING -> log.isWarnEnabled();
            case ERROR -> log.isErrorEnabled();
            case OFF -> false;
        };
    }

    @Override
    public void log(final Level level, final ResourceBundle bundle, final String message, final Throwable thrown)
    {
        write(level, message, thrown);
    }

    @Override
    public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
    {
        if (isLoggable(level))
        {
            write(level, null == params || params.length == 0 ? format : MessageFormat.format(format, params), null);
        }
    }

    private void write(final Level level, final String message, final Throwable thrown)
    {
        switch (level)
        {
            case ALL, TRACE -> log.trace(message, thrown);
            case DEBUG -> log.debug(message, thrown);
            case INFO -> log.info(message, thrown);
            case WARNING -> log.warn(message, thrown);
            case ERROR -> log.error(message, thrown);
            case OFF ->
            {
            }
        }
    }
}
