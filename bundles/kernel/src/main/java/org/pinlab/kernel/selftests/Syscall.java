package org.pinlab.kernel.selftests;

import java.util.List;

import org.pinlab.api.finding.Finding;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Task;

/** A self-test's user space waiting in a syscall or ioctl: the machine steps until the kernel path returns. */
final class Syscall {

    private Syscall() {
    }

    /**
     * Steps the machine until {@code task} returns.
     *
     * @throws IllegalStateException, prefixed with {@code selftest}, if the machine stops first
     */
    static void runToEnd(String selftest, Engine engine, Task task) {
        while (!task.done()) {
            if (!engine.step()) {
                List<Finding> f = engine.findings();
                throw new IllegalStateException(selftest + ": the machine stopped before " + task.name()
                        + " returned: " + (engine.stopped() ? engine.stopReason() : "nothing left to run")
                        + (f.isEmpty() ? "" : "; last finding: " + f.get(f.size() - 1).describe()));
            }
        }
    }
}
