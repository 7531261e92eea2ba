package org.pinlab.sim;

import java.util.List;
import java.util.function.ToIntFunction;

/** Small procedures the engine tests are built from. */
final class Procs {

    private Procs() {
    }

    /** A procedure whose steps are given as lambdas, run in order, then returns. */
    static Proc steps(String function, List<ToIntFunction<Task>> steps) {
        return new Proc(function) {
            @Override
            protected int step(Task task) {
                if (pc >= steps.size()) {
                    return task.ret();
                }
                return steps.get(pc++).applyAsInt(task);
            }
        };
    }

    /** Takes {@code n} steps of {@code cost} ns each, appending its name to a log at each. */
    static Proc worker(String name, int n, long cost, StringBuilder log) {
        return new Proc(name) {
            @Override
            protected int step(Task task) {
                if (pc == n) {
                    return task.ret();
                }
                pc++;
                log.append(name);
                return task.next(cost);
            }
        };
    }
}
