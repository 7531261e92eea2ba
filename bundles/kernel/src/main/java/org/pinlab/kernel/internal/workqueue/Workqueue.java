package org.pinlab.kernel.internal.workqueue;

import org.pinlab.sim.Engine;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * One workqueue (kernel/workqueue.c, v6.12): {@code queue_work}, {@code queue_delayed_work}
 * and {@code flush_work}. Each run of a work item is a kworker task of its own, spawned when
 * the work is queued, or when its timer fires for delayed work.
 * Departures: no worker pools and no {@code max_active} limit (unbound queues run items side
 * by side, as with {@code WQ_UNBOUND}); no {@code cancel_work}; a delayed work's timer is the
 * kworker's start time, not a timer that queues it.
 */
public final class Workqueue {

    private final Engine engine;
    private final String name;

    /** {@code alloc_workqueue(name, WQ_UNBOUND, 0)}. */
    public Workqueue(Engine engine, String name) {
        this.engine = engine;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * {@code queue_work}: "%false if @work was already on a queue, %true otherwise"; a pending
     * work item is not queued twice, so queueing coalesces until it starts to run.
     */
    public boolean queueWork(WorkStruct work) {
        return queueDelayedWork(work, 0);
    }

    /**
     * {@code queue_delayed_work}: queued once {@code delayNs} have passed (at once for 0,
     * as {@code __queue_delayed_work} does); false if already pending.
     */
    public boolean queueDelayedWork(WorkStruct work, long delayNs) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("queue_delayed_work of " + work.name + ": negative delay " + delayNs);
        }
        if (work.pending) {
            return false; // test_and_set_bit(WORK_STRUCT_PENDING_BIT) found it set
        }
        work.pending = true;
        work.queued++;
        engine.spawn("kworker/u8:" + name, new Worker(work), delayNs);
        return true;
    }

    /**
     * {@code flush_work}: waits until the last queueing of {@code work} before the call has
     * finished executing. Its {@link Flush#waited} is the kernel's return value: whether there
     * was anything to wait for.
     */
    public Flush flushWork(WorkStruct work) {
        return new Flush(work);
    }

    /** {@code process_one_work}: clear PENDING, run the function, wake the flushers. */
    private static final class Worker extends Proc {
        private final WorkStruct work;

        /** Wait for a run in progress, run the function, then finish. */
        private enum Step implements Proc.State { START, FINISH }

        private static final Step[] STEPS = byPc(Step.values());

        Worker(WorkStruct work) {
            super("process_one_work");
            this.work = work;
        }

        @Override
        protected int step(Task t) {
            if (STEPS[pc] == Step.START) {
                if (work.running) {
                    return t.park(work.idle); // non-reentrant: the previous run finishes first
                }
                work.pending = false; // set_work_pool_and_clear_pending, before the function runs
                work.running = true;
                resume(Step.FINISH);
                return t.call(work.fn.get());
            }
            work.running = false;
            work.finished++;
            work.idle.wakeAll();
            return t.ret();
        }
    }

    /** The wait of one {@code flush_work} call. */
    public static final class Flush extends Proc {
        private final WorkStruct work;
        private long target = -1;
        /** Whether the flush had to wait ({@code flush_work}'s return value). */
        public boolean waited;

        Flush(WorkStruct work) {
            super("flush_work");
            this.work = work;
        }

        @Override
        protected int step(Task t) {
            if (target < 0) {
                target = work.queued;
            }
            if (work.finished >= target) {
                return t.ret();
            }
            waited = true;
            return t.park(work.idle);
        }
    }
}
