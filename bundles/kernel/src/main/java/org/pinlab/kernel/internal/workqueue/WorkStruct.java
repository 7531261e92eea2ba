package org.pinlab.kernel.internal.workqueue;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;
import org.pinlab.sim.WaitQueue;

/**
 * {@code struct work_struct} (include/linux/workqueue.h, v6.12): a work function and its
 * {@code WORK_STRUCT_PENDING} bit. The function is a {@link Proc} made afresh for each run, so
 * it may sleep as a kworker may. A work item never runs twice at once (non-reentrant since
 * v3.7): a run queued while another is executing waits for it.
 */
public final class WorkStruct {

    final String name;
    final Supplier<Proc> fn;
    /** {@code WORK_STRUCT_PENDING_BIT}: queued and not yet started. */
    boolean pending;
    /** Whether a kworker is executing the function now. */
    boolean running;
    /** Successful queueings, and runs finished: {@code flush_work} waits for the first to catch up. */
    long queued;
    long finished;
    /** Flushers, and a run waiting for the previous one to end. */
    final WaitQueue idle;

    /** {@code INIT_WORK(work, fn)}. */
    public WorkStruct(String name, Supplier<Proc> fn) {
        this.name = name;
        this.fn = fn;
        this.idle = new WaitQueue("work " + name);
    }

    /**
     * {@code INIT_WORK} of a work function that does its work in one atomic step and then takes
     * the simulated time that step returns, in ns (0 for none).
     */
    public static WorkStruct ofStep(String name, LongSupplier step) {
        return new WorkStruct(name, () -> new Proc(name) {
            private boolean done;

            @Override
            protected int step(Task t) {
                if (done) {
                    return t.ret();
                }
                done = true;
                return t.next(step.getAsLong());
            }
        });
    }

    public String name() {
        return name;
    }

    /** {@code work_pending()}. */
    public boolean pending() {
        return pending;
    }

    /** Whether the function is executing ({@code work_busy() & WORK_BUSY_RUNNING}). */
    public boolean running() {
        return running;
    }
}
