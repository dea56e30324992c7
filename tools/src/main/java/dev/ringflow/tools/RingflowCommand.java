package dev.ringflow.tools;

import dev.ringflow.engine.JournalException;
import dev.ringflow.engine.pipeline.PipelineValidationException;
import dev.ringflow.io.kafka.KafkaUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ringflow} command. Exit codes: 0 success, 1 failure, 2 bad usage or a bad pipeline file.
 */
@Command(
    name = "ringflow",
    mixinStandardHelpOptions = true,
    versionProvider = RingflowCommand.Version.class,
    description = "Low-latency stream processing between Kafka topics: Kafka in, Disruptor rings, Kafka out.",
    subcommands = {
        RunCommand.class,
        StatusCommand.class,
        DemoCommand.class,
        ReplayCommand.class,
        JournalCommand.class,
        BrokerCommand.class,
        ProduceCommand.class,
        ConsumeCommand.class,
        PipelineCommand.class,
        ModelCommand.class,
        CommandLine.HelpCommand.class },
    footer = {
        "",
        "Exit codes: 0 ok, 1 failure, 2 bad usage or invalid pipeline file.",
        "Run 'ringflow COMMAND --help' for the options of a command." })
public final class RingflowCommand implements Runnable
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns its exit code (for tests and embedding).
     */
    public static int execute(final String... args)
    {
        quietChronicle();
        final CommandLine commandLine = new CommandLine(new RingflowCommand());
        commandLine.setExecutionExceptionHandler(RingflowCommand::onException);
        return commandLine.execute(args);
    }

    /**
     * Chronicle Queue sends usage analytics and prints banners unless told not to; a daemon does neither. Must run
     * before the first Chronicle class loads.
     */
    static void quietChronicle()
    {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.err);
    }

    private static int onException(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        if (ex instanceof PipelineValidationException)
        {
            commandLine.getErr().println("ringflow: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (ex instanceof KafkaUnavailableException || ex instanceof CommandFailedException ||
            ex instanceof JournalException)
        {
            commandLine.getErr().println("ringflow: " + ex.getMessage());
            return EXIT_FAILURE;
        }
        commandLine.getErr().println("ringflow: " + ex);
        ex.printStackTrace(commandLine.getErr());
        return EXIT_FAILURE;
    }

    /** The version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = RingflowCommand.class.getPackage().getImplementationVersion();
            return new String[] { "ringflow " + (null == version ? "(development build)" : version) };
        }
    }
}
