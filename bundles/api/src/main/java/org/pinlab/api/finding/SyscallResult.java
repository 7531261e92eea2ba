package org.pinlab.api.finding;

import java.util.Objects;

import org.pinlab.api.errno.Errno;

/**
 * A modelled system call that returned an error to the program that made it: part of a run's
 * verdict as much as a finding is ({@code ftruncate} refused with {@code -EBUSY} because a page
 * is pinned, {@code ibv_reg_mr} failing with {@code -ENOMEM} over {@code RLIMIT_MEMLOCK}). A
 * run reports each task, call and errno once, with how often it happened and when first.
 *
 * @param task      the simulated task that made the call, e.g. {@code app/writer}
 * @param call      the system call as the program sees it, e.g. {@code ftruncate}
 * @param result    the negative errno it returned
 * @param count     how many times that task's call returned that errno
 * @param firstNs   simulated time of the first such return
 * @param firstStep the machine's step counter at the first such return
 */
public record SyscallResult(String task, String call, int result, int count, long firstNs, long firstStep) {

    public SyscallResult {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(call, "call");
        if (result >= 0) {
            throw new IllegalArgumentException(call + " returned " + result + ", which is not an error");
        }
        if (count < 1) {
            throw new IllegalArgumentException(call + ": a count of " + count);
        }
    }

    /** The errno's name ({@code EBUSY}), or its number for one the model does not know. */
    public String errno() {
        try {
            return Errno.ofReturn(result).name();
        } catch (IllegalArgumentException unknown) {
            return Integer.toString(-result);
        }
    }

    /** {@code app/truncate: ftruncate returned -EBUSY (-16), 2 times, first at 1234 ns}. */
    public String describe() {
        return task + ": " + call + " returned " + Errno.describe(result)
                + (count == 1 ? ", once, at " : ", " + count + " times, first at ") + firstNs + " ns";
    }
}
