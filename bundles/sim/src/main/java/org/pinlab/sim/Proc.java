package org.pinlab.sim;

/**
 * One activation of a modelled kernel function, written as a state machine: {@link #pc}
 * says where it is, and each call of {@link #step} runs one atomic step and tells the
 * engine what happened through the {@link Task} method it returns.
 *
 * <p>The points between steps are the preemption points. A function puts them where the
 * real kernel can race: a lock taken or dropped, a flag tested before it is acted on, an
 * I/O submitted or completed. Calls and returns are not preemption points.
 *
 * <p>States have names, not numbers: a function declares its states as a private enum
 * implementing {@link State}, in the order its body reads, sets the next one with
 * {@link #resume} and switches on {@code STEPS[pc]}, a table built once by {@link #byPc}
 * (no {@code values()} copy per step). A state's number is its ordinal, so
 * {@code enum Step implements Proc.State { CHECK_PERIOD, WRITE_INODES }} is 0 and 1. The
 * number is part of the trace: the engine folds {@code pc} into the trace hash at every
 * step and backtraces print {@code function+pc} ({@code write_cache_pages+2}). So a new
 * state goes last; anywhere else it renumbers the states after it and every recorded hash
 * changes. Functions whose old numbers had gaps (states grouped by tens, 99 for returned)
 * declare each number instead, overriding {@link State#pc()}, to keep the traces they
 * recorded. A proc that has no states but counts (the steps of a scripted test, the sleeps
 * of {@code folio_wait_bit_common}) may count in {@code pc} directly.
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

    /** Where this activation is: the number of its {@link State}, set by {@link #resume}. */
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

    /** A named state of a function's step machine: a constant of the function's enum of states. */
    public interface State {
        /** Implemented by every enum. */
        int ordinal();

        /** The state's number: what {@link #pc()} returns, the trace hash folds in and backtraces print. */
        default int pc() {
            return ordinal();
        }
    }

    /** The next {@link #step} runs at {@code at}. */
    protected final void resume(State at) {
        pc = at.pc();
    }

    /**
     * A function's states indexed by their numbers, for its step's {@code switch}; a number
     * with no state maps to null.
     *
     * @throws IllegalArgumentException if two states share a number or one is negative
     */
    protected static <S extends State> S[] byPc(S[] states) {
        int max = -1;
        for (S s : states) {
            if (s.pc() < 0) {
                throw new IllegalArgumentException(s + " has a negative pc " + s.pc());
            }
            max = Math.max(max, s.pc());
        }
        S[] table = java.util.Arrays.copyOf(states, max + 1);
        java.util.Arrays.fill(table, null);
        for (S s : states) {
            if (table[s.pc()] != null) {
                throw new IllegalArgumentException(table[s.pc()] + " and " + s + " share pc " + s.pc());
            }
            table[s.pc()] = s;
        }
        return table;
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
