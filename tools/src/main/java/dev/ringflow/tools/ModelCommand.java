package dev.ringflow.tools;

import dev.ringflow.engine.SnapshotStore;
import dev.ringflow.engine.pipeline.LearnTaskSpec;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.TaskSpec;
import dev.ringflow.engine.stage.LearnedModel;
import dev.ringflow.engine.stage.PipelineProcessor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ringflow model export}: writes what a {@code learn} task has learnt, from the journal's latest snapshot.
 */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Export what a learn task has learnt; push a new model to running score tasks.",
    subcommands = { ModelCommand.Export.class, ModelPushCommand.class, CommandLine.HelpCommand.class })
final class ModelCommand
{
    // Not runnable: 'ringflow model' alone is a usage error, which prints the subcommands.

    @Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the model a learn task has learnt, in Ringflow's linear JSON format (which a score task loads), " +
                "from the latest snapshot in the journal directory: it reads files only, so it works on a stopped " +
                "daemon, and on a running one as of its last snapshot (engine snapshots are taken every " +
                "journal.snapshot-interval-ms and at a clean stop).",
            "The pipeline file must be the one the snapshot was taken with (the same tasks). The model's version, " +
                "<name or learn>@<updates>, as scored events carry it in model_version (or <output-field>_model_version), goes to stderr.",
            "" },
        footer = {
            "",
            "Examples:",
            "  ringflow model export --journal-dir /var/lib/ringflow/cards --pipeline cards.yaml --task fraud",
            "  ringflow model export --journal-dir DIR --pipeline cards.yaml --task 2 --key card-42 -o card-42.json",
            "",
            "Exit codes: 0 written, 1 no readable snapshot or no model for the key, 2 bad usage, invalid pipeline " +
                "file, or no such learn task." })
    static final class Export implements Callable<Integer>
    {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec commandSpec;

        @Option(names = { "--journal-dir", "--journal" }, required = true, paramLabel = "DIR",
            description = "The daemon's journal directory (its snapshots are in DIR/snapshots).")
        private Path journalDir;

        @Option(names = "--pipeline", required = true, paramLabel = "FILE",
            description = "The pipeline file the daemon runs.")
        private Path pipeline;

        @Option(names = "--plugins", paramLabel = "DIR",
            description = "The directory of the pipeline's function task jars; default as for 'ringflow run'.")
        private Path plugins;

        @Option(names = "--task", required = true, paramLabel = "N|NAME",
            description = "The learn task: its index in the pipeline's tasks list (from 0, as in tasks[N]) or its " +
                "name.")
        private String task;

        @Option(names = "--key", paramLabel = "KEY",
            description = "For a per-key task: the key whose model to write (the key field's value, or the " +
                "record key).")
        private String key;

        @Option(names = { "-o", "--out" }, paramLabel = "FILE", description = "Where to write it. Default: stdout.")
        private Path out;

        @Override
        public Integer call() throws IOException
        {
            final PipelineSpec spec = PipelineFile.load(pipeline, plugins);
            final LearnTaskSpec learn = learnTask(spec);
            if (learn.perKey() != (null != key))
            {
                throw new CommandLine.ParameterException(commandSpec.commandLine(), learn.perKey() ?
                    "task " + task + " learns one model per key: give --key" :
                    "task " + task + " learns one model for the pipeline: --key does not apply");
            }
            final SnapshotStore snapshots = new SnapshotStore(journalDir, spec);
            final LearnedModel model = export(spec, snapshots);
            if (null == out)
            {
                System.out.println(model.json());
            }
            else
            {
                Files.writeString(out, model.json() + "\n", StandardCharsets.UTF_8);
            }
            System.err.println("model " + model.version() + (null == key ? "" : " of key '" + key + "'") +
                (null == out ? "" : " written to " + out));
            return RingflowCommand.EXIT_OK;
        }

        private LearnTaskSpec learnTask(final PipelineSpec spec)
        {
            final List<TaskSpec> tasks = spec.tasks();
            for (int i = 0; i < tasks.size(); i++)
            {
                if (tasks.get(i) instanceof LearnTaskSpec learn &&
                    (task.equals(Integer.toString(i)) || task.equals(learn.name())))
                {
                    return learn;
                }
            }
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "no learn task '" + task + "' in " +
                pipeline + ": give the index (from 0) or name of a task of type learn");
        }

        /** From the newest snapshot that reads: each worker's part, until one holds the key. */
        private LearnedModel export(final PipelineSpec spec, final SnapshotStore snapshots) throws IOException
        {
            final List<Long> indexes = snapshots.completeIndexes();
            if (indexes.isEmpty())
            {
                throw new CommandFailedException("no snapshot in " + snapshots.dir() + (snapshots.holdsAny() ?
                    " taken with " + spec.engine().workers() + " workers" : "") + ": a daemon writes one every " +
                    "journal.snapshot-interval-ms and when it stops cleanly", null);
            }
            String problems = "";
            for (final long index : indexes)
            {
                final String problem = snapshots.problemWith(index);
                if (null != problem)
                {
                    problems += "; at journal index " + index + ": " + problem;
                    continue;
                }
                IllegalArgumentException notFound = null;
                for (int worker = 0; worker < spec.engine().workers(); worker++)
                {
                    // One processor per worker, or with partition-scoped state one per input partition it held.
                    for (final PipelineProcessor processor : snapshots.load(index, worker, spec))
                    {
                        try
                        {
                            return processor.learnedModel(task, key);
                        }
                        catch (final IllegalArgumentException ex)
                        {
                            notFound = ex;
                        }
                    }
                }
                throw new CommandFailedException("the snapshot at journal index " + index + ": " +
                    notFound.getMessage(), notFound);
            }
            throw new CommandFailedException("no snapshot in " + snapshots.dir() + " can be read" + problems, null);
        }
    }
}
