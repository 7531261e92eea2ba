package org.pinlab.sim;

import java.util.Arrays;

/**
 * PCT: every task gets a random priority above {@code depth}; at {@code depth - 1} random
 * change points among the first {@code expectedSteps} steps, the task about to run drops
 * to priority 1, 2, ... The highest-priority candidate always runs. A bug of depth d is
 * found with probability at least 1/(n k^(d-1)) per run (Burckhardt et al., ASPLOS 2010).
 *
 * <p>Departure from the paper: change points are matched against engine steps at decision
 * points only (a change point that falls on a step with one candidate takes effect at the
 * next decision), because between decisions there is nothing to reorder.
 */
final class PctScheduler implements Scheduler {

    private final SeededRandom rng;
    private final int depth;
    private final long[] changePoints;
    private int nextChange;
    private long[] priority = new long[64];

    PctScheduler(long seed, int depth, long expectedSteps) {
        if (depth < 1) {
            throw new IllegalArgumentException("PCT depth must be at least 1, was " + depth);
        }
        if (expectedSteps < 1) {
            throw new IllegalArgumentException("PCT expected steps must be at least 1, was " + expectedSteps);
        }
        this.rng = new SeededRandom(seed ^ 0x13198A2E03707344L);
        this.depth = depth;
        changePoints = new long[depth - 1];
        for (int i = 0; i < changePoints.length; i++) {
            changePoints[i] = 1 + rng.nextLong(expectedSteps);
        }
        Arrays.sort(changePoints);
    }

    @Override
    public void onSpawn(Task task) {
        int id = task.id();
        if (id >= priority.length) {
            priority = Arrays.copyOf(priority, Math.max(id + 1, priority.length * 2));
        }
        // distinct initial priorities above every change-point priority (1..depth-1)
        priority[id] = depth + (rng.nextLong() >>> 20) * 4096 + (id & 4095);
    }

    @Override
    public int choose(int[] candidates, int n, long decision, long step, int previous) {
        int best = highest(candidates, n);
        while (nextChange < changePoints.length && changePoints[nextChange] <= step) {
            priority[candidates[best]] = ++nextChange;
            best = highest(candidates, n);
        }
        return best;
    }

    private int highest(int[] candidates, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (priority[candidates[i]] > priority[candidates[best]]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String describe() {
        return "pct(d=" + depth + ")";
    }
}
