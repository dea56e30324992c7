package dev.ringflow.bench.models;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelKind;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code score} task on JSON events with OnnxScoreBenchmark's ONNX model (ScoreBenchmark's 100 trees of depth 6
 * on 16 features, as an ONNX TreeEnsembleRegressor): {@code maxBatch=1} scores each event with its own native call,
 * as the task did before it batched; {@code maxBatch=64} parks 64 events at the task (what a worker does with a
 * ring batch of 64 or more), scores them in one native call and finishes each. The time is per event, reading the
 * fields and writing the output JSON included; {@code -prof gc} shows ONNX Runtime's garbage per call spread over
 * the batch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class OnnxPipelineBenchmark
{
    private static final int EVENTS_PER_CALL = 64;
    private static final int EVENTS = 1024;

    @Param({ "1", "64" })
    public int maxBatch;

    private final ScoreBenchmark xgboost = new ScoreBenchmark();
    private final byte[][] events = new byte[EVENTS][];
    private final EventSlot[] slots = new EventSlot[EVENTS_PER_CALL];
    private PipelineProcessor processor;
    private int next;

    @Setup
    public void setUp() throws Exception
    {
        xgboost.setUp();
        final byte[] bytes = XgboostOnnxExport.convert(xgboost.booster.toByteArray("json"), ScoreBenchmark.FEATURES);
        final Model onnx = ModelLoader.load(bytes, "xgboost-100x6.onnx", ModelLimits.defaults());
        if (onnx.kind() != ModelKind.ONNX)
        {
            throw new IllegalStateException("the ringflow-onnx module is not on the class path");
        }
        final List<String> features = new ArrayList<>();
        for (int j = 0; j < ScoreBenchmark.FEATURES; j++)
        {
            features.add("f" + j);
        }
        final PipelineSpec spec = PipelineBuilder.named("onnx").source("in").jsonInput(null, null)
            .task(new ScoreTaskSpec("xgboost-100x6.onnx", features, "score", false, null, null, maxBatch, null, onnx,
                null, "OnnxPipelineBenchmark"))
            .sink("out").build();
        processor = new PipelineProcessor(spec);
        if (processor.batchSize() != (maxBatch > 1 ? maxBatch : 0))
        {
            throw new IllegalStateException("the processor batches " + processor.batchSize() + " events");
        }
        for (int i = 0; i < EVENTS; i++)
        {
            final StringBuilder json = new StringBuilder("{\"id\":").append(i);
            final double[] row = xgboost.rows[i];
            for (int j = 0; j < row.length; j++)
            {
                // Every feature present: the task refuses a missing one for a model without missing-value handling.
                json.append(",\"f").append(j).append("\":")
                    .append(String.format(Locale.ROOT, "%.4f", Double.isNaN(row[j]) ? 0.5 : row[j]));
            }
            events[i] = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new EventSlot();
        }
    }

    @TearDown
    public void tearDown()
    {
        xgboost.tearDown();
    }

    /** 64 events through the score task, one native call each or one for all; the time is per event. */
    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_CALL)
    public int scoreTask()
    {
        final int outputs = scoreEvents();
        if (outputs != EVENTS_PER_CALL)
        {
            throw new IllegalStateException(outputs + " outputs of " + EVENTS_PER_CALL + " events");
        }
        return outputs;
    }

    private int scoreEvents()
    {
        final PipelineProcessor processor = this.processor;
        int outputs = 0;
        for (int i = 0; i < EVENTS_PER_CALL; i++)
        {
            final EventSlot slot = slots[i];
            slot.input("in", 0, next, 0, null, events[next++ & (EVENTS - 1)]);
            if (maxBatch > 1)
            {
                processor.park(slot);
            }
            else
            {
                processor.process(slot);
                outputs += processor.outputs().count(dev.ringflow.engine.OutputList.OUTPUT);
            }
        }
        if (maxBatch > 1)
        {
            processor.scoreParked();
            for (int i = 0; i < EVENTS_PER_CALL; i++)
            {
                outputs += processor.finishParked(i).count(dev.ringflow.engine.OutputList.OUTPUT);
            }
        }
        return outputs;
    }
}
