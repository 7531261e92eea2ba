package org.pinlab.api.finding;

import java.util.List;
import java.util.Objects;

/**
 * One thing an oracle saw go wrong, with everything needed to see it again.
 *
 * @param kind      what went wrong
 * @param message   the kernel-style message, e.g. {@code kernel BUG at fs/ext4/inode.c: ext4_writepage}
 * @param task      the simulated task that was running, e.g. {@code kworker/u8:flush-8:0}
 * @param backtrace the task's step stack, innermost first, as kernel function names
 * @param timeNs    simulated time of the finding
 * @param step      the machine's step counter when it was raised
 * @param seed      the seed of the run
 * @param schedule  the scheduling decisions up to the finding; replaying them with the
 *                  seed reproduces it
 */
public record Finding(FindingKind kind, String message, String task, List<String> backtrace,
                      long timeNs, long step, long seed, Schedule schedule) {

    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(task, "task");
        backtrace = List.copyOf(backtrace);
        Objects.requireNonNull(schedule, "schedule");
    }

    /** The finding as the kernel log would show it, backtrace included. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(kind).append(": ").append(message).append('\n');
        sb.append("  task ").append(task).append(" at ").append(timeNs).append(" ns, step ").append(step)
                .append(", seed ").append(seed).append('\n');
        sb.append("  Call Trace:\n");
        for (String frame : backtrace) {
            sb.append("   ").append(frame).append('\n');
        }
        return sb.toString();
    }
}
