package dev.ringflow.engine;

import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelException;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;

import java.util.Objects;

/**
 * A new model for the score task named {@code task} (its output field): the model file's bytes, where they came
 * from (a watched file, a model topic) and the model they load into. Journaled with the bytes, so that recovery and
 * replay score every event with the model version that scored it live, whatever the file or topic holds later.
 * <p>
 * <b>Note:</b> Immutable apart from the lazy loading of a swap read back from a journal, which is idempotent and
 * safe from any thread. A live swap is loaded and checked before it is queued, off the workers.
 */
public final class ModelSwap extends RuntimeChange
{
    private final String task;
    private final byte[] bytes;
    private final String sourceName;
    private volatile Model model;

    private ModelSwap(final String task, final byte[] bytes, final String sourceName, final String origin,
        final Model model)
    {
        super(origin);
        this.task = Objects.requireNonNull(task, "task");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        this.model = model;
    }

    /**
     * A swap of a model loaded (and checked against the task) by the caller.
     *
     * @param sourceName the model's name for messages, usually its file name.
     */
    public static ModelSwap of(final String task, final byte[] bytes, final String sourceName, final String origin,
        final Model model)
    {
        return new ModelSwap(task, bytes, sourceName, origin, Objects.requireNonNull(model, "model"));
    }

    /** A swap read back from a journal: its model is loaded by the first worker that reaches it. */
    public static ModelSwap fromJournal(final String task, final byte[] bytes, final String sourceName,
        final String origin)
    {
        return new ModelSwap(task, bytes, sourceName, origin, null);
    }

    /** The score task the model is for: its output field. */
    public String task()
    {
        return task;
    }

    /** The model file's bytes, as journaled. */
    public byte[] bytes()
    {
        return bytes;
    }

    public String sourceName()
    {
        return sourceName;
    }

    /**
     * The model, loaded from {@link #bytes()} the first time it is asked for.
     *
     * @throws ModelException when the bytes are not a model this version loads (a journal from another version).
     */
    public Model model() throws ModelException
    {
        Model loaded = model;
        if (null == loaded)
        {
            synchronized (this)
            {
                loaded = model;
                if (null == loaded)
                {
                    loaded = ModelLoader.load(bytes, sourceName, ModelLimits.defaults());
                    model = loaded;
                }
            }
        }
        return loaded;
    }

    @Override
    public String toString()
    {
        return "model swap of task '" + task + "' to " + sourceName + " from " + origin() + " (" + bytes.length +
            " bytes)";
    }
}
