package org.pinlab.kernel.internal.locking;

import java.util.List;
import java.util.function.ToIntFunction;

import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/** A Proc whose steps are lambdas run in order; after the last, it returns. */
final class Script extends Proc {

    private final List<ToIntFunction<Task>> steps;

    private Script(String function, List<ToIntFunction<Task>> steps) {
        super(function);
        this.steps = steps;
    }

    @SafeVarargs
    static Proc of(String function, ToIntFunction<Task>... steps) {
        return new Script(function, List.of(steps));
    }

    @Override
    protected int step(Task task) {
        if (pc >= steps.size()) {
            return task.ret();
        }
        return steps.get(pc++).applyAsInt(task);
    }
}
