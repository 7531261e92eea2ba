package org.pinlab.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import org.pinlab.sim.Engine;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.Task;

/**
 * The classic "hold model" of event-queue performance, run through the whole
 * {@link Engine#step()} path: {@value #DEFAULT_TASKS} tasks are pending, and each step
 * pops the earliest one, runs its step (which only draws an increment, uniform in
 * 1..{@value #MAX_INCREMENT_NS} ns, from the engine's seeded random and ends with
 * {@code task.next(increment)}), and reinserts it. The queue thus stays at its size while
 * its contents churn, as in a long simulation of a busy machine.
 *
 * <p>The score is engine steps per second ({@link OperationsPerInvocation}: each
 * invocation is a batch of {@value #STEPS} steps). The engine runs with
 * {@link EngineConfig#DEFAULT} (race window 0: only exact ties are choices) and
 * {@link Schedulers#earliestFirst()}. It is built once per trial, so every batch continues
 * the same run.
 *
 * <p>Goal: at least 5 million steps per second on one core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class EngineHoldBenchmark {

    static final int DEFAULT_TASKS = 100_000;
    static final int STEPS = 1_000_000;
    static final long MAX_INCREMENT_NS = 1_000_000;

    /** Pending tasks, that is the size of the ready queue. */
    @Param("100000")
    public int tasks;

    private Engine engine;

    /** One task's only procedure: hold for a random time, forever. */
    static final class Hold extends Proc {

        Hold() {
            super("hold");
        }

        @Override
        protected int step(Task task) {
            pc++;
            return task.next(task.engine().random().between(1, MAX_INCREMENT_NS));
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        engine = newEngine(tasks, 42);
    }

    static Engine newEngine(int tasks, long seed) {
        Engine e = new Engine(seed, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        for (int i = 0; i < tasks; i++) {
            e.spawn("hold" + i, new Hold(), e.random().between(1, MAX_INCREMENT_NS));
        }
        return e;
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long hold() {
        Engine e = engine;
        for (int i = 0; i < STEPS; i++) {
            if (!e.step()) {
                throw new IllegalStateException("the engine stopped: " + e.stopReason());
            }
        }
        return e.now();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Exact ties in ready time are scheduler decisions, and the engine logs each one.
        System.out.printf("%n[hold] %,d steps, %,d decisions (%.2f%% of steps), simulated time %,d ns%n",
                engine.steps(), engine.decisionCount(), 100.0 * engine.decisionCount() / engine.steps(), engine.now());
    }
}
