package dev.ringflow.engine;

import dev.ringflow.engine.function.TestFunctions;
import dev.ringflow.engine.pipeline.FunctionTaskSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * In a running engine, an exception from a user function is that record's dead letter and the engine goes on; an
 * {@link Error} stops the engine with a failure naming the function.
 */
@Timeout(60)
class FunctionEngineFailureTest
{
    @Test
    void shouldDeadLetterExceptionsAndGoOn() throws Exception
    {
        final PipelineSpec spec = PipelineBuilder.named("risk").source("in").jsonInput(null, null)
            .task(FunctionTaskSpec.of(TestFunctions.Risk.class, Map.of(), List.of("high-risk", "audit")))
            .sink("out").deadLetterTopic("dlq").build();
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        final Engine engine = Engine.start(spec, source, sink);
        for (int i = 0; i < 100; i++)
        {
            source.offer(EngineTest.record(i, "k", "{\"id\":" + i + ",\"amount\":10" +
                (i % 10 == 3 ? ",\"boom\":true}" : "}")));
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sink.outputs().size() + sink.deadLetters().size() < 100 && System.nanoTime() - deadlineNs < 0)
        {
            Thread.onSpinWait();
        }
        engine.close();

        assertThat(engine.hasFailed()).as(String.valueOf(engine.failure())).isFalse();
        assertThat(sink.deadLetters()).as("dead letters").extracting(InMemorySink.Output::errorReason).hasSize(10);
        assertThat(sink.outputs()).hasSize(90);
        assertThat(sink.deadLetters()).hasSize(10).allSatisfy(dead -> assertThat(dead.errorReason())
            .startsWith("function " + TestFunctions.Risk.class.getName() + " threw java.lang.IllegalStateException: " +
                "boom at "));
    }

    @Test
    void shouldStopTheEngineOnAnErrorNamingTheFunction() throws Exception
    {
        final PipelineSpec spec = PipelineBuilder.named("fatal").source("in").jsonInput(null, null)
            .task(FunctionTaskSpec.of(TestFunctions.Fatal.class, Map.of(), List.of())).sink("out").build();
        final InMemorySource source = new InMemorySource();
        final Engine engine = Engine.start(spec, source, new InMemorySink());
        for (int i = 0; i < 100; i++)
        {
            source.offer(EngineTest.record(i, "k", i == 50 ? "{\"fatal\":1}" : "{\"id\":" + i + "}"));
        }

        assertThat(engine.awaitTermination(10, TimeUnit.SECONDS)).as("the engine stops by itself").isTrue();
        assertThat(engine.failure()).isInstanceOf(EngineThreadException.class);
        assertThat(engine.failure().getMessage()).contains("engine thread ringflow-worker-0")
            .contains("function " + TestFunctions.Fatal.class.getName() + " threw java.lang.AssertionError: " +
                "fatal record");
        assertTimeoutPreemptively(Duration.ofSeconds(5), engine::close);
    }
}
