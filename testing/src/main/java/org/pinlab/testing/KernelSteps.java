package org.pinlab.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * A contract test's task: a list of steps, each an action, a kernel path it calls, or a wait
 * until a simulated time. What a user program or a driver thread does, written in order.
 */
final class KernelSteps extends Proc {

    private final List<Function<Task, Integer>> steps = new ArrayList<>();

    KernelSteps(String function) {
        super(function);
    }

    /** Runs {@code action} as one atomic step of one CPU step's cost. */
    KernelSteps then(Runnable action) {
        steps.add(t -> {
            action.run();
            return t.next(1_000);
        });
        return this;
    }

    /** Calls a kernel path built when the step runs. */
    KernelSteps call(Supplier<Proc> path) {
        steps.add(t -> t.call(path.get()));
        return this;
    }

    /** Sleeps until simulated time {@code ns}. */
    KernelSteps at(long ns) {
        steps.add(t -> t.next(Math.max(0, ns - t.engine().now())));
        return this;
    }

    @Override
    protected int step(Task t) {
        if (pc >= steps.size()) {
            return t.ret();
        }
        return steps.get(pc++).apply(t);
    }
}
