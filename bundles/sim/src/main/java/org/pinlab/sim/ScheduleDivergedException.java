package org.pinlab.sim;

import java.util.Arrays;

/** A replayed schedule asked for a task that could not run: the run is not the recorded one. */
public final class ScheduleDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ScheduleDivergedException(long decision, int wanted, int[] candidates) {
        super("schedule diverged at decision " + decision + ": task " + wanted
                + " cannot run; the candidates were " + Arrays.toString(candidates)
                + " (was the schedule recorded with another seed or scenario?)");
    }
}
