package org.pinlab.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A simulated thread of control: a kernel thread (the flusher, kswapd), a user task, or a
 * device's DMA engine. Its state is a stack of {@link Proc} activations; the engine runs
 * the top one a step at a time.
 */
public final class Task {

    static final int RUNNABLE = 0;
    static final int PARKED = 1;
    static final int DONE = 2;

    private final Engine engine;
    private final int id;
    private final String name;
    private final boolean daemon;

    private Proc[] stack = new Proc[8];
    private int depth;
    /** The activation on top of the stack, cached: the engine reads it every step. */
    Proc top;

    long readyAt;
    int state;
    WaitQueue waitingOn;
    long parkedAt;
    boolean idleWait;
    /** Parked with a timeout: also in the ready queue at the timeout. */
    boolean timedWait;
    /** Index in the engine's parked list while parked, else -1. */
    int parkedSlot = -1;

    Task(Engine engine, int id, String name, boolean daemon, Proc root) {
        this.engine = engine;
        this.id = id;
        this.name = name;
        this.daemon = daemon;
        stack[depth++] = root;
        top = root;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** A daemon (an idle kernel thread) may wait forever without that being a deadlock. */
    public boolean daemon() {
        return daemon;
    }

    public Engine engine() {
        return engine;
    }

    public boolean done() {
        return state == DONE;
    }

    public boolean parked() {
        return state == PARKED;
    }

    /** The queue this task is parked on, or null. */
    public WaitQueue waitingOn() {
        return waitingOn;
    }



    // ---- what a step returns -------------------------------------------------------

    /** Ends the step; it took {@code costNs} of simulated time (0 for a pure preemption point). */
    public int next(long costNs) {
        readyAt = engine.now() + costNs;
        return Proc.NEXT;
    }

    /** Pushes a callee; it takes its first step at once. */
    public int call(Proc callee) {
        if (depth == stack.length) {
            if (depth >= 1024) {
                throw new IllegalStateException(name + ": call stack deeper than 1024 at " + backtrace());
            }
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = callee;
        top = callee;
        return Proc.CALL;
    }

    /** Finishes the current activation; the caller resumes at once (the task ends with its root). */
    public int ret() {
        stack[--depth] = null;
        top = depth > 0 ? stack[depth - 1] : null;
        return Proc.RETURN;
    }

    /**
     * Parks the task, uninterruptibly, until {@code queue} wakes it: it then resumes the
     * same activation at the pc the step set, and should re-check what it waited for, as
     * kernel wait loops do. Counts toward hung-task and deadlock detection.
     */
    public int park(WaitQueue queue) {
        return engine.park(this, queue, false);
    }

    /**
     * Parks an idle daemon waiting for work (an interruptible sleep): neither a hung task
     * nor part of a deadlock.
     */
    public int idle(WaitQueue queue) {
        return engine.park(this, queue, true);
    }

    /**
     * Idles on {@code queue} for at most {@code timeoutNs} ({@code schedule_timeout} on a
     * wait queue): resumes when woken or when the time is up, whichever comes first.
     */
    public int idleFor(WaitQueue queue, long timeoutNs) {
        if (timeoutNs < 0) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeoutNs);
        }
        return engine.park(this, queue, true, timeoutNs);
    }

    int depth() {
        return depth;
    }

    /** The step stack, innermost first, as {@code function+pc}. */
    public List<String> backtrace() {
        List<String> frames = new ArrayList<>(depth);
        for (int i = depth - 1; i >= 0; i--) {
            frames.add(stack[i].toString());
        }
        return frames;
    }

    @Override
    public String toString() {
        return name + "[" + id + "]";
    }
}
