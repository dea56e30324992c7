package dev.ringflow.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

/**
 * The native objects of one {@link OnnxModel}: its session and every thread's pinned tensors, closed together once
 * the model is unreachable (a swapped-out model has no close call: workers may still be scoring with it until they
 * pass the swap).
 * <p>
 * <b>Note:</b> thread-safe; {@link #closeLater} is called by each thread on its first score, {@link #run} by the
 * cleaner's thread.
 */
final class OnnxResources implements Runnable
{
    private static final Cleaner CLEANER = Cleaner.create();

    private final OrtSession session;
    private final List<AutoCloseable> tensors = new ArrayList<>();

    OnnxResources(final OrtSession session)
    {
        this.session = session;
    }

    synchronized void closeLater(final AutoCloseable tensor)
    {
        tensors.add(tensor);
    }

    void closeWhenUnreachable(final Object model)
    {
        CLEANER.register(model, this);
    }

    @Override
    public synchronized void run()
    {
        for (final AutoCloseable tensor : tensors)
        {
            try
            {
                tensor.close();
            }
            catch (final Exception ignored)
            {
                // Closing is best effort: the process keeps running whatever a native close says.
            }
        }
        tensors.clear();
        try
        {
            session.close();
        }
        catch (final OrtException ignored)
        {
            // As above.
        }
    }
}
