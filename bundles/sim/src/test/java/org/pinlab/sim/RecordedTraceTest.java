package org.pinlab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Runs whose trace hashes were recorded with the engine as it was before its ready queue
 * grew a ladder (commit 204714b, a heap only). A seed's run is part of the product: the
 * catalog's expectations and every replay command depend on it, so a faster engine must
 * take the very same steps. These runs are big enough that the queue spills into its
 * ladder, and they mix windows, schedulers, timed waits and wakeups.
 */
class RecordedTraceTest {

    /** Holds for a random time, forever: the classic hold model. */
    private static final class Hold extends Proc {
        Hold() {
            super("hold");
        }

        @Override
        protected int step(Task task) {
            pc++;
            return task.next(task.engine().random().between(1, 1_000_000));
        }
    }

    /** Works, sleeps with a timeout, and wakes others, for a while, then exits. */
    private static final class Churn extends Proc {
        private final WaitQueue[] queues;
        private final int steps;

        Churn(WaitQueue[] queues, int steps) {
            super("churn");
            this.queues = queues;
            this.steps = steps;
        }

        @Override
        protected int step(Task task) {
            if (pc++ == steps) {
                return task.ret();
            }
            SeededRandom r = task.engine().random();
            WaitQueue q = queues[r.nextInt(queues.length)];
            switch (r.nextInt(10)) {
                case 0, 1 -> {
                    return task.idleFor(q, r.between(0, 20_000));
                }
                case 2 -> {
                    q.wakeOne();
                    return task.next(1);
                }
                case 3 -> {
                    q.wakeAll();
                    return task.next(3);
                }
                default -> {
                    return task.next(r.nextInt(4) == 0 ? 0 : r.between(0, 5_000));
                }
            }
        }
    }

    static long hold(int tasks, int steps, long windowNs, Scheduler scheduler) {
        Engine e = new Engine(42, scheduler, EngineConfig.DEFAULT.withRaceWindow(windowNs));
        for (int i = 0; i < tasks; i++) {
            e.spawn("hold" + i, new Hold(), e.random().between(1, 1_000_000));
        }
        for (int i = 0; i < steps; i++) {
            e.step();
        }
        return e.traceHash() ^ e.decisionCount();
    }

    static long churn(long seed, int tasks, long windowNs, Scheduler scheduler) {
        Engine e = new Engine(seed, scheduler, EngineConfig.DEFAULT.withRaceWindow(windowNs));
        WaitQueue[] queues = new WaitQueue[16];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new WaitQueue("q" + i);
        }
        for (int i = 0; i < tasks; i++) {
            e.spawnDaemon("churn" + i, new Churn(queues, 20), e.random().between(0, 50_000));
        }
        long until = 0;
        while (!e.finished()) {
            until += 25_000;
            e.runUntil(until);
            if (until <= 200_000) {
                e.spawnDaemon("late" + until, new Churn(queues, 10), 0); // added between slices, before the horizon
            }
        }
        return e.traceHash() ^ e.steps() ^ e.decisionCount();
    }

    @Test
    void holdRunsOfThousandsOfTasksTakeTheRecordedSteps() {
        assertEquals(0xa1bf6f40a26c59e3L, hold(5_000, 200_000, 0, Schedulers.earliestFirst()));
        assertEquals(0x5771a438a5aef2c7L, hold(5_000, 200_000, 200, Schedulers.random(3)));
        assertEquals(0xcfd5dfce08fe386cL, hold(20_000, 200_000, 50, Schedulers.pct(4, 3, 200_000)));
    }

    @Test
    void churnWithTimedWaitsAndWakeupsTakesTheRecordedSteps() {
        assertEquals(0xd39f84e29cc34cddL, churn(1, 3_000, 0, Schedulers.earliestFirst()));
        assertEquals(0x122861001fa4c805L, churn(2, 3_000, 100, Schedulers.random(2)));
        assertEquals(0x5a54670e10f89c70L, churn(3, 3_000, 300, Schedulers.pct(3, 3, 100_000)));
    }
}
