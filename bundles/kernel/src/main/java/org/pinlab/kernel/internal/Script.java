package org.pinlab.kernel.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * A task written as a list of steps: run an action, call a kernel path, or sleep. What a
 * test's user program or driver thread does, in order; the kernel's own tests and
 * pinlab-testing's contract suites write their tasks with it.
 */
public final class Script extends Proc {

    private final List<Function<Task, Integer>> steps = new ArrayList<>();

    public Script(String function) {
        super(function);
    }

    /** Runs {@code action} as one step costing {@code ns}. */
    public Script then(long ns, Consumer<Task> action) {
        steps.add(t -> {
            action.accept(t);
            return t.next(ns);
        });
        return this;
    }

    /** Runs {@code action} as one step costing one CPU step (1 us, the {@code cpu-step} default). */
    public Script then(Runnable action) {
        return then(1_000, t -> action.run());
    }

    /** Calls a kernel path built when the step runs. */
    public Script call(Supplier<Proc> path) {
        steps.add(t -> t.call(path.get()));
        return this;
    }

    /** Sleeps until simulated time {@code at}. */
    public Script at(long at) {
        steps.add(t -> t.next(Math.max(0, at - t.engine().now())));
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
