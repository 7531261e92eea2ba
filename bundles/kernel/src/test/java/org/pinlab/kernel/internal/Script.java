package org.pinlab.kernel.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/** A test task written as a list of steps: run an action, call a kernel path, or sleep. */
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
