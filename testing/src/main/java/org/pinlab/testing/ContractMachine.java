package org.pinlab.testing;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.Script;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.Task;

/**
 * One small deterministic machine for a contract test, built as the kernel's own end-to-end
 * tests build theirs: seed 1, the earliest-first scheduler, the buddy allocator, the given pin
 * layout and policy choices, and the kernel behind it for the paths a test drives.
 */
final class ContractMachine {

    static final long US = 1_000;
    static final long MS = 1_000_000;

    /** The findings that mean pin or reference accounting went wrong. */
    static final Set<FindingKind> ACCOUNTING = EnumSet.of(FindingKind.PIN_LEAK, FindingKind.PIN_UNDERFLOW,
            FindingKind.PIN_OVERFLOW, FindingKind.REFCOUNT_UNDERFLOW, FindingKind.REFCOUNT_OVERFLOW);

    final Machine machine;
    final Kernel k;

    ContractMachine(PinTracker layout, Choices choices) {
        machine = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(8192)).allocator(Shipped.allocator()).pinTracker(layout)
                .choices(choices).engine(EngineConfig.DEFAULT.withRaceWindow(1_000)).build();
        k = MachineKernel.of(machine);
    }

    /** Spawns a task that starts at once. */
    Script task(String name) {
        Script s = new Script(name);
        machine.engine().spawn(name, s, 0);
        return s;
    }

    ContractMachine runUntil(long ns) {
        machine.runUntil(ns);
        return this;
    }

    /** The findings of the given kinds so far. */
    List<Finding> findings(Set<FindingKind> kinds) {
        return machine.findings().stream().filter(f -> kinds.contains(f.kind())).toList();
    }

    /** Every finding so far, one a line, for a failure message. */
    String describeFindings() {
        List<Finding> all = machine.findings();
        return (all.isEmpty() ? "no findings" : all.stream().map(f -> f.kind() + ": " + f.message() + " at "
                + f.backtrace()).collect(Collectors.joining("\n  ", "findings:\n  ", ""))) + describeTasks();
    }

    /** The tasks still running at {@code now}, with where they are, or nothing if none is. */
    private String describeTasks() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < machine.engine().taskCount(); i++) {
            Task t = machine.engine().task(i);
            if (t != null && !t.done() && !t.daemon()) {
                sb.append("\n  ").append(t.name()).append(t.parked() ? " parked on " + t.waitingOn() : "")
                        .append(" at ").append(t.backtrace());
            }
        }
        return sb.length() == 0 ? "" : "\nunfinished tasks at " + machine.engine().now() + " ns:" + sb;
    }
}
