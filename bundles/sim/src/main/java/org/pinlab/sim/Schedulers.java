package org.pinlab.sim;

import org.pinlab.api.finding.Schedule;

/** The schedulers the engine ships with. */
public final class Schedulers {

    private Schedulers() {
    }

    /** Always the earliest candidate (lowest id on ties): the run without preemptions. */
    public static Scheduler earliestFirst() {
        return new Scheduler() {
            @Override
            public int choose(int[] candidates, int n, long decision, long step, int previous) {
                return 0;
            }

            @Override
            public String describe() {
                return "earliest-first";
            }
        };
    }

    /** A uniformly random candidate, drawn from the scheduler's own stream. */
    public static Scheduler random(long seed) {
        SeededRandom rng = new SeededRandom(seed ^ 0x243F6A8885A308D3L);
        return new Scheduler() {
            @Override
            public int choose(int[] candidates, int n, long decision, long step, int previous) {
                return rng.nextInt(n);
            }

            @Override
            public String describe() {
                return "random";
            }
        };
    }

    /**
     * Probabilistic concurrency testing with bug depth {@code depth} over runs of about
     * {@code expectedSteps} steps (Burckhardt et al., ASPLOS 2010).
     */
    public static Scheduler pct(long seed, int depth, long expectedSteps) {
        return new PctScheduler(seed, depth, expectedSteps);
    }

    /**
     * Follows a recorded schedule, then continues with {@code after}.
     *
     * @throws ScheduleDivergedException during the run, if the recorded task is not a
     *                                   candidate at its decision (the run is not the one
     *                                   that was recorded)
     */
    public static Scheduler replay(Schedule schedule, Scheduler after) {
        return new Scheduler() {
            @Override
            public void onSpawn(Task task) {
                after.onSpawn(task);
            }

            @Override
            public int choose(int[] candidates, int n, long decision, long step, int previous) {
                if (decision >= schedule.length()) {
                    return after.choose(candidates, n, decision, step, previous);
                }
                int wanted = schedule.choice((int) decision);
                for (int i = 0; i < n; i++) {
                    if (candidates[i] == wanted) {
                        return i;
                    }
                }
                throw new ScheduleDivergedException(decision, wanted, java.util.Arrays.copyOf(candidates, n));
            }

            @Override
            public String describe() {
                return "replay(" + schedule.length() + " decisions, then " + after.describe() + ")";
            }
        };
    }
}
