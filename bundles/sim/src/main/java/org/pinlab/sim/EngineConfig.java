package org.pinlab.sim;

/**
 * Engine settings that are not the seed or the scheduler.
 *
 * @param raceWindowNs tasks ready within this much simulated time of the earliest one are
 *                     all candidates for the next step, and the scheduler picks among them.
 *                     It stands for the timing noise of a real machine: at 0 only exact
 *                     ties are choices; larger windows let the scheduler reorder nearby
 *                     events and so explore more interleavings.
 * @param hungTaskNs   a task parked uninterruptibly this long is reported as hung
 *                     (the kernel's {@code hung_task_timeout_secs}, 120 s by default)
 * @param maxSteps     a run stops after this many steps
 */
public record EngineConfig(long raceWindowNs, long hungTaskNs, long maxSteps) {

    public static final EngineConfig DEFAULT = new EngineConfig(0, 120_000_000_000L, Long.MAX_VALUE);

    public EngineConfig {
        if (raceWindowNs < 0) {
            throw new IllegalArgumentException("raceWindowNs must not be negative, was " + raceWindowNs);
        }
        if (hungTaskNs <= 0) {
            throw new IllegalArgumentException("hungTaskNs must be positive, was " + hungTaskNs);
        }
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("maxSteps must be positive, was " + maxSteps);
        }
    }

    public EngineConfig withRaceWindow(long ns) {
        return new EngineConfig(ns, hungTaskNs, maxSteps);
    }

    public EngineConfig withHungTask(long ns) {
        return new EngineConfig(raceWindowNs, ns, maxSteps);
    }

    public EngineConfig withMaxSteps(long steps) {
        return new EngineConfig(raceWindowNs, hungTaskNs, steps);
    }
}
