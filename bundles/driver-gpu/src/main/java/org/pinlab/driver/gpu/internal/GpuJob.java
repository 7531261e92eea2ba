package org.pinlab.driver.gpu.internal;

import org.pinlab.api.device.DmaMaps;
import org.pinlab.api.device.UserBuffer;

/**
 * One job slot of the GPU: a userptr buffer object's life from its pin to its release, then
 * the gap before the slot's next job.
 */
final class GpuJob {

    enum State {
        /** Between jobs, until {@link #startAt}. */
        WAITING,
        /** A pin is in flight. */
        PINNING,
        /** Pinned and executing until {@link #endAt}, or until revoked. */
        RUNNING,
        /** A release is in flight. */
        RELEASING
    }

    State state = State.WAITING;
    /** The job's number, from 0, in submission order. */
    long number = -1;
    UserBuffer buffer;
    int first;
    int count;
    /** The job's pins: one piece, or more when a pin came back short. */
    DmaMaps maps;
    /** The piece whose release is in flight. */
    int releasing = -1;
    /** A pin failed after others succeeded: the job gives them back and does not run. */
    boolean failing;
    long startAt;
    long endAt;
    long nextAccess;
    /** The kernel asked for the buffer back and the GPU agreed: no DMA to it any more. */
    boolean revoked;

    /** Whether the GPU may still DMA into the job's pages. */
    boolean executing() {
        return state == State.RUNNING && !revoked;
    }

    @Override
    public String toString() {
        return "job " + number + " (" + (buffer != null ? buffer.name() : "?") + " [" + first + ", " + (first + count)
                + "))";
    }
}
