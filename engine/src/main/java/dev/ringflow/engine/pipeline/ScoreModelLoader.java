package dev.ringflow.engine.pipeline;

import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelException;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the model of every {@code score} task of a pipeline when the pipeline is loaded, so that a missing or bad
 * model file, or one whose features do not fit the task, stops the pipeline from loading (with the task's
 * {@code file:line}) instead of failing on the first event. The loaded model is kept in the task and shared by every
 * worker.
 * <p>
 * <b>Note:</b> Control thread only: reads files and allocates.
 */
public final class ScoreModelLoader
{
    private ScoreModelLoader()
    {
    }

    /**
     * @param base     the directory relative model paths are resolved against (the pipeline file's), or null for the
     *                 working directory.
     * @param problems where problems go, each starting with the task's location.
     * @return the spec with every score task's model loaded (a task whose model failed stays unloaded).
     */
    static PipelineSpec load(final PipelineSpec spec, final Path base, final List<String> problems)
    {
        if (null == spec || spec.tasks().stream().noneMatch(task -> task instanceof ScoreTaskSpec))
        {
            return spec;
        }
        final List<TaskSpec> tasks = new ArrayList<>(spec.tasks());
        for (int i = 0; i < tasks.size(); i++)
        {
            if (tasks.get(i) instanceof ScoreTaskSpec score && null == score.loaded())
            {
                final ScoreTaskSpec placed = null == score.baseDir() && null != base ?
                    new ScoreTaskSpec(score.model(), score.features(), score.outputField(), score.watch(),
                        score.modelTopic(), score.shadowModel(), score.maxBatch(), base, null, null, score.location()) :
                    score;
                try
                {
                    final Model model = load(placed);
                    tasks.set(i, placed.withModel(model, loadShadow(placed, model)));
                }
                catch (final ModelException ex)
                {
                    problems.add(placed.location() + ": " + ex.getMessage());
                    tasks.set(i, placed);
                }
            }
        }
        return new PipelineSpec(spec.name(), spec.source(), tasks, spec.sink(), spec.kafka(), spec.engine(),
            spec.journal(), spec.state());
    }

    /**
     * Loads the task's shadow model, if it has one, and checks that it takes the live model's features.
     *
     * @return the shadow model, or null without one.
     * @throws ModelException naming the shadow file and what is wrong with it.
     */
    public static Model loadShadow(final ScoreTaskSpec task, final Model live) throws ModelException
    {
        final Path file = task.shadowModelFile();
        if (null == file)
        {
            return null;
        }
        final Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute))
        {
            throw new ModelException("the shadow model file " + absolute + " does not exist");
        }
        final Model shadow = ModelLoader.load(absolute, ModelLimits.defaults());
        shadow.checkFeatures(task.features().isEmpty() ? live.featureNames() : task.features());
        return shadow;
    }

    /**
     * The file the task's model comes from now: its {@code model} file, or, when that names a directory, the
     * directory's last file by name (name versions so that the newest sorts last: {@code fraud-0007.json}); files
     * whose names start with a dot or end in {@code .tmp} are being written and are skipped.
     *
     * @throws ModelException when there is no such file.
     */
    public static Path currentFile(final ScoreTaskSpec task) throws ModelException
    {
        final Path file = task.modelFile().toAbsolutePath().normalize();
        if (Files.isDirectory(file))
        {
            try (java.util.stream.Stream<Path> files = Files.list(file))
            {
                return files.filter(Files::isRegularFile)
                    .filter(path -> !path.getFileName().toString().startsWith(".") &&
                        !path.getFileName().toString().endsWith(".tmp"))
                    .max(java.util.Comparator.comparing(path -> path.getFileName().toString()))
                    .orElseThrow(() -> new ModelException("the model directory " + file + " has no model file"));
            }
            catch (final java.io.IOException ex)
            {
                throw new ModelException("cannot list the model directory " + file + ": " + ex.getMessage());
            }
        }
        if (!Files.isRegularFile(file))
        {
            throw new ModelException("the model file " + file + " does not exist" +
                (Path.of(task.model()).isAbsolute() ? "" : " (a relative path is resolved against the pipeline " +
                "file's directory)"));
        }
        return file;
    }

    /**
     * Loads the task's model file and checks it against the task's features.
     *
     * @throws ModelException naming the file and what is wrong with it.
     */
    public static Model load(final ScoreTaskSpec task) throws ModelException
    {
        final Path file = currentFile(task);
        final Model model = ModelLoader.load(file, ModelLimits.defaults());
        if (task.features().isEmpty())
        {
            if (!model.declaresFeatureNames())
            {
                throw new ModelException(model.sourceName() + " declares no feature names; list the " +
                    model.featureCount() + " fields it takes, in its input order, in 'features'");
            }
        }
        else
        {
            model.checkFeatures(task.features());
        }
        return model;
    }
}
