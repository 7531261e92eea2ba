package org.pinlab.kernel.internal.workqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.sim.Engine;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.Task;

/** kernel/workqueue.c (v6.12): queue_work coalesces while pending, delayed work waits, flush_work waits. */
class WorkqueueTest {

    private final Engine engine = new Engine(1, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
    private final Workqueue wq = new Workqueue(engine, "test");
    /** When each run of the work started and ended, in ns. */
    private final List<long[]> runs = new ArrayList<>();

    /** A work function that takes {@code ns} of simulated time. */
    private WorkStruct work(long ns) {
        return new WorkStruct("w", () -> new Proc("work_fn") {
            private long start = -1;

            @Override
            protected int step(Task t) {
                if (start < 0) {
                    start = engine.now();
                    return t.next(ns);
                }
                runs.add(new long[] {start, engine.now()});
                return t.ret();
            }
        });
    }

    /** A task that calls {@code p} at {@code atNs}. */
    private void at(long atNs, Proc p) {
        engine.spawn("caller", p, atNs);
    }

    @Test
    void queueWorkCoalescesWhilePendingAndQueuesAgainOnceItRuns() {
        WorkStruct w = work(1_000);
        assertTrue(wq.queueWork(w));
        assertFalse(wq.queueWork(w), "already on a queue: queue_work returns false");
        assertTrue(w.pending());
        engine.runUntil(500);
        assertFalse(w.pending(), "PENDING is cleared when the function starts");
        assertTrue(w.running());
        assertTrue(wq.queueWork(w), "a running work item may be queued again");
        engine.runUntil(10_000);
        assertEquals(2, runs.size(), "one run per successful queueing");
        assertTrue(runs.get(1)[0] >= runs.get(0)[1], "non-reentrant: the second run starts after the first ends");
    }

    @Test
    void delayedWorkRunsOnlyAfterItsDelay() {
        WorkStruct w = work(10);
        assertTrue(wq.queueDelayedWork(w, 5_000));
        assertFalse(wq.queueDelayedWork(w, 1), "pending until its timer fires and it runs");
        engine.runUntil(4_999);
        assertTrue(runs.isEmpty());
        engine.runUntil(6_000);
        assertEquals(1, runs.size());
        assertEquals(5_000, runs.get(0)[0]);
        assertThrows(IllegalArgumentException.class, () -> wq.queueDelayedWork(w, -1));
    }

    @Test
    void flushWorkWaitsForTheQueuedRunToFinishAndSaysWhetherItWaited() {
        WorkStruct w = work(2_000);
        wq.queueWork(w);
        Workqueue.Flush flush = wq.flushWork(w);
        long[] returned = {-1};
        at(100, new Proc("flusher") {
            private boolean called;

            @Override
            protected int step(Task t) {
                if (!called) {
                    called = true;
                    return t.call(flush);
                }
                returned[0] = engine.now();
                return t.ret();
            }
        });
        engine.runUntil(10_000);
        assertTrue(flush.waited);
        assertEquals(runs.get(0)[1], returned[0], "flush_work returned when the run ended");

        Workqueue.Flush idle = wq.flushWork(w);
        at(0, idle);
        engine.runUntil(20_000);
        assertFalse(idle.waited, "an idle work item: flush_work returns false at once");
    }
}
