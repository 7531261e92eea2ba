package org.pinlab.sim;

/**
 * One activation of a modelled kernel function, written as a state machine: {@link #pc}
 * says where it is, and each call of {@link #step} runs one atomic step and tells the
 * engine what happened through the {@link Task} method it returns.
 *
 * <p>The points between steps are the preemption points. A function puts them where the
 * real kernel can race: a lock taken or dropped, a flag tested before it is acted on, an
 * I/O submitted or completed. Calls and returns are not preemption points.
 */
public abstract class Proc {

    /** The step ended; the task runs again at its ready time. */
    public static final int NEXT = 0;
    /** A callee was pushed; it runs at once. */
    public static final int CALL = 1;
    /** This activation finished; its caller resumes at once. */
    public static final int RETURN = 2;
    /** The task parked on a wait queue. */
    public static final int PARK = 3;

    /** Where this activation is: its own state, set by {@link #step}. */
    protected int pc;

    private final String function;
    /** {@code function.hashCode()}, which the engine folds into the trace hash at every step. */
    final int functionHash;

    /** @param function the kernel function this stands for, as backtraces show it */
    protected Proc(String function) {
        this.function = java.util.Objects.requireNonNull(function, "function");
        this.functionHash = function.hashCode();
    }

    public final String function() {
        return function;
    }

    public final int pc() {
        return pc;
    }

    /**
     * Runs one atomic step for {@code task}.
     *
     * @return what {@link Task#next}, {@link Task#call}, {@link Task#ret} or
     *         {@link Task#park} returned
     */
    protected abstract int step(Task task);

    @Override
    public String toString() {
        return function + "+" + pc;
    }
}
