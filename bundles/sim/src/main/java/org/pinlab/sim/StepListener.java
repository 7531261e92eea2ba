package org.pinlab.sim;

import org.osgi.annotation.versioning.ConsumerType;

/** Sees every step as it is taken: for trace export and live views. Must not change the run. */
@ConsumerType
public interface StepListener {

    /**
     * @param task    the task that took the step
     * @param proc    the activation whose step ended it (the top of the stack afterwards)
     * @param startNs when the step began
     * @param endNs   when the task is ready again (equal to start for a park)
     */
    void onStep(Task task, Proc proc, long startNs, long endNs);

    /** A finding was raised (after it is recorded). */
    default void onFinding(org.pinlab.api.finding.Finding finding) {
    }
}
