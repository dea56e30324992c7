package dev.ringflow.engine;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import dev.ringflow.engine.pipeline.EngineSpec;

import java.util.concurrent.TimeUnit;

/**
 * The Disruptor wait strategy for each {@code engine.wait-strategy}; blocking, which uses no CPU while idle, is the
 * default.
 */
final class WaitStrategies
{
    private WaitStrategies()
    {
    }

    static WaitStrategy of(final EngineSpec.WaitStrategyKind kind)
    {
        switch (kind)
        {
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case SLEEPING:
                return new SleepingWaitStrategy();
            case PHASED:
                return PhasedBackoffWaitStrategy.withLock(EngineSpec.PHASED_SPIN_MICROS, EngineSpec.PHASED_YIELD_MICROS,
                    TimeUnit.MICROSECONDS);
            default:
                return new BlockingWaitStrategy();
        }
    }
}
