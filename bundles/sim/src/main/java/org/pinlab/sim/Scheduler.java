package org.pinlab.sim;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Chooses which task takes the next step when more than one could. The engine asks only
 * at real choices (two or more candidates); everything else is fixed by simulated time.
 * A scheduler is stateful and belongs to one run. Explorers implement their own.
 */
@ConsumerType
public interface Scheduler {

    /** Called when a task is created, before it can be a candidate. */
    default void onSpawn(Task task) {
    }

    /**
     * @param candidates ids of the tasks that could run, ordered by ready time then id
     * @param n          how many entries of {@code candidates} are valid (at least 2)
     * @param decision   the number of this decision in the run, from 0
     * @param step       the engine's step counter
     * @param previous   the id of the task that took the last step, or -1
     * @return the index in {@code candidates} of the task to run
     */
    int choose(int[] candidates, int n, long decision, long step, int previous);

    /** How to name this scheduler in reports, e.g. {@code pct(d=3)}. */
    String describe();
}
