package org.pinlab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;

class EngineTest {

    @Test
    void earliestReadyTaskRunsFirstAndTheClockFollowsIt() {
        StringBuilder log = new StringBuilder();
        Engine e = new Engine(1, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        e.spawn("a", Procs.worker("a", 3, 100, log), 0);
        e.spawn("b", Procs.worker("b", 2, 250, log), 60);
        e.run();
        // a@0, b@60, a@100, a@200, (a exits @300), b@310, (b exits @560)
        assertEquals("abaab", log.toString());
        assertEquals(560, e.now());
        assertEquals(0, e.decisionCount(), "no ties, so no choices");
    }

    @Test
    void tiesAreChoicesTheSchedulerMakesAndTheScheduleRecords() {
        StringBuilder log = new StringBuilder();
        Engine e = new Engine(1, Schedulers.random(7), EngineConfig.DEFAULT);
        e.spawn("a", Procs.worker("a", 5, 10, log), 0);
        e.spawn("b", Procs.worker("b", 5, 10, log), 0);
        e.run();
        assertTrue(e.decisionCount() >= 5, "every step of the two tasks started at the same time");
        StringBuilder replayed = new StringBuilder();
        Engine r = new Engine(1, Schedulers.replay(e.schedule(), Schedulers.earliestFirst()), EngineConfig.DEFAULT);
        r.spawn("a", Procs.worker("a", 5, 10, replayed), 0);
        r.spawn("b", Procs.worker("b", 5, 10, replayed), 0);
        r.run();
        assertEquals(log.toString(), replayed.toString());
        assertEquals(e.traceHash(), r.traceHash());
    }

    @Test
    void raceWindowMakesNearbyTasksCandidates() {
        Engine strict = runTwo(EngineConfig.DEFAULT);
        Engine windowed = runTwo(EngineConfig.DEFAULT.withRaceWindow(5));
        assertEquals(0, strict.decisionCount());
        assertTrue(windowed.decisionCount() > 0, "b is ready 3 ns after a, inside a 5 ns window");
    }

    private static Engine runTwo(EngineConfig config) {
        Engine e = new Engine(3, Schedulers.random(3), config);
        StringBuilder log = new StringBuilder();
        e.spawn("a", Procs.worker("a", 4, 10, log), 0);
        e.spawn("b", Procs.worker("b", 4, 10, log), 3);
        e.run();
        return e;
    }

    @Test
    void sameSeedSameHashOtherSeedOtherHash() {
        assertEquals(busyRun(42), busyRun(42));
        assertNotEquals(busyRun(42), busyRun(43));
    }

    private static long busyRun(long seed) {
        Engine e = new Engine(seed, Schedulers.random(seed), EngineConfig.DEFAULT.withRaceWindow(20));
        for (int i = 0; i < 20; i++) {
            int me = i;
            e.spawn("w" + i, new Proc("work") {
                @Override
                protected int step(Task task) {
                    if (pc++ == 50) {
                        return task.ret();
                    }
                    return task.next(1 + task.engine().random().nextInt(30) + me);
                }
            }, e.random().nextInt(100));
        }
        e.run();
        return e.traceHash();
    }

    @Test
    void callsAndReturnsRunWithoutAPreemptionPoint() {
        StringBuilder log = new StringBuilder();
        Proc leaf = Procs.steps("leaf", List.of(t -> {
            log.append("L");
            return t.next(5);
        }));
        Proc root = Procs.steps("root", List.of(t -> t.call(leaf), t -> {
            log.append("R");
            return t.next(1);
        }));
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        e.spawn("t", root, 0);
        e.step();
        assertEquals("L", log.toString(), "the call and the callee's first step are one step");
        e.run();
        assertEquals("LR", log.toString());
        assertEquals(3, e.steps(), "leaf's step, root's step, and the task's exit; the call and return add none");
    }

    @Test
    void parkedTaskResumesWhenWokenAndWaitsMeanwhile() {
        WaitQueue q = new WaitQueue("event");
        boolean[] flag = {false};
        StringBuilder log = new StringBuilder();
        Proc waiter = new Proc("waiter") {
            @Override
            protected int step(Task task) {
                if (!flag[0]) {
                    return task.park(q);
                }
                log.append("woke@").append(task.engine().now());
                return task.ret();
            }
        };
        Proc setter = Procs.steps("setter", List.of(t -> t.next(1000), t -> {
            flag[0] = true;
            q.wakeAll();
            return t.next(0);
        }));
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        e.spawn("waiter", waiter, 0);
        e.spawn("setter", setter, 0);
        e.run();
        assertEquals("woke@1000", log.toString());
        assertTrue(e.findings().isEmpty());
    }

    @Test
    void timedIdleEndsAtTheTimeoutOrAtAnEarlierWakeup() {
        WaitQueue q = new WaitQueue("wb_wait");
        StringBuilder log = new StringBuilder();
        Proc sleeper = new Proc("wb_workfn") {
            @Override
            protected int step(Task task) {
                log.append(task.engine().now()).append(' ');
                if (pc++ == 2) {
                    return task.ret();
                }
                return task.idleFor(q, 5_000);
            }
        };
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        e.spawn("flusher", sleeper, 0);
        e.spawn("waker", Procs.steps("wakeup_flusher_threads", List.of(t -> t.next(7_000), t -> {
            q.wakeAll();
            return t.next(0);
        })), 0);
        e.run();
        assertEquals("0 5000 7000 ", log.toString(), "timed out at 5000, woken early at 7000");
        assertTrue(e.findings().isEmpty());
    }

    @Test
    void taskParkedWithNobodyToWakeItIsADeadlock() {
        WaitQueue q = new WaitQueue("never");
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        e.spawn("stuck", Procs.steps("wait_forever", List.of(t -> t.park(q))), 0);
        e.run();
        assertEquals(1, e.count(FindingKind.DEADLOCK));
        assertTrue(e.findings().get(0).message().contains("stuck waits on never"));
        assertTrue(e.stopped());
    }

    @Test
    void idleDaemonIsNeitherDeadlockNorHung() {
        WaitQueue work = new WaitQueue("work");
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT.withHungTask(100));
        e.spawnDaemon("kswapd0", Procs.steps("kswapd", List.of(t -> t.idle(work))), 0);
        e.runUntil(10_000);
        assertTrue(e.findings().isEmpty(), e.findings().toString());
        assertFalse(e.stopped());
    }

    @Test
    void circularWaitIsReportedAtOnceEvenWhileOtherTasksRun() {
        WaitQueue lockA = new WaitQueue("A");
        WaitQueue lockB = new WaitQueue("B");
        Task[] owner = new Task[2];
        lockA.holders(holders(owner, 0));
        lockB.holders(holders(owner, 1));
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        owner[0] = e.spawn("t1", Procs.steps("t1", List.of(t -> t.next(10), t -> t.park(lockB))), 0);
        owner[1] = e.spawn("t2", Procs.steps("t2", List.of(t -> t.next(10), t -> t.park(lockA))), 0);
        e.spawnDaemon("ticker", new Proc("tick") {
            @Override
            protected int step(Task task) {
                return task.next(1_000);
            }
        }, 0);
        e.runUntil(1_000_000);
        Finding f = e.findings().get(0);
        assertEquals(FindingKind.DEADLOCK, f.kind());
        assertTrue(f.message().startsWith("circular wait"), f.message());
        assertTrue(e.now() < 1_000, "found when the cycle closed, not at the end");
    }

    private static WaitQueue.Holders holders(Task[] owner, int i) {
        return new WaitQueue.Holders() {
            @Override
            public int count() {
                return 1;
            }

            @Override
            public Task holder(int k) {
                return owner[i];
            }
        };
    }

    @Test
    void taskParkedPastTheThresholdIsHungOnceWithItsBacktrace() {
        WaitQueue q = new WaitQueue("page unpinned");
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT.withHungTask(1_000));
        Proc inner = Procs.steps("folio_wait_dma_unpinned", List.of(t -> t.park(q)));
        e.spawn("flush", Procs.steps("writeback", List.of(t -> t.call(inner))), 0);
        e.spawnDaemon("ticker", new Proc("tick") {
            @Override
            protected int step(Task task) {
                return task.next(100);
            }
        }, 0);
        e.runUntil(5_000);
        assertEquals(1, e.count(FindingKind.HUNG_TASK), "reported once per wait");
        Finding f = e.findings().get(0);
        assertEquals("flush", f.task());
        assertEquals(List.of("folio_wait_dma_unpinned+1", "writeback+1"), f.backtrace());
        assertFalse(e.stopped(), "a hung task does not stop the machine");
        assertEquals("INFO: task flush blocked for more than 1us, waiting on page unpinned", f.message(),
                "a threshold below a second keeps its unit instead of '0 seconds'");
    }

    @Test
    void aHungTaskThresholdOfWholeSecondsPrintsSecondsAsTheKernelDoes() {
        assertEquals("120 seconds", Engine.hungTaskTimeout(120_000_000_000L));
        assertEquals("2ms", Engine.hungTaskTimeout(2_000_000L));
    }

    @Test
    void shortParkIsNotHung() {
        WaitQueue q = new WaitQueue("io");
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT.withHungTask(1_000));
        e.spawn("reader", Procs.steps("read", List.of(t -> t.park(q), t -> t.next(0))), 0);
        e.spawn("irq", Procs.steps("end_io", List.of(t -> t.next(900), t -> {
            q.wakeAll();
            return t.next(0);
        })), 0);
        e.runUntil(5_000);
        assertEquals(0, e.count(FindingKind.HUNG_TASK));
    }

    @Test
    void bugStopsTheMachineAndCarriesSeedAndSchedule() {
        Engine e = new Engine(99, Schedulers.random(1), EngineConfig.DEFAULT);
        StringBuilder log = new StringBuilder();
        e.spawn("other", Procs.worker("o", 100, 10, log), 0);
        e.spawn("buggy", Procs.steps("ext4_writepage", List.of(t -> t.next(10), t -> {
            t.engine().report(FindingKind.BUG, "kernel BUG at fs/ext4/inode.c");
            return t.next(10);
        })), 0);
        e.run();
        assertTrue(e.stopped());
        Finding f = e.findings().get(0);
        assertEquals(99, f.seed());
        assertEquals(e.schedule(), f.schedule());
        assertEquals(List.of("ext4_writepage+2"), f.backtrace());
        assertTrue(log.length() < 100, "the other task did not run to its end");
    }

    @Test
    void nothingRunsAfterABugNotEvenTheCallerOfTheBuggyFunction() {
        StringBuilder log = new StringBuilder();
        Proc buggy = Procs.steps("ext4_writepage", List.of(t -> {
            t.engine().report(FindingKind.BUG, "kernel BUG");
            return t.ret();
        }));
        Proc caller = Procs.steps("write_cache_pages", List.of(t -> t.call(buggy), t -> {
            log.append("caller resumed");
            return t.next(1);
        }));
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        e.spawn("flusher", caller, 0);
        e.run();
        assertTrue(e.stopped());
        assertEquals("", log.toString());
    }

    @Test
    void stepLimitStopsTheRun() {
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT.withMaxSteps(10));
        e.spawn("forever", new Proc("loop") {
            @Override
            protected int step(Task task) {
                return task.next(1);
            }
        }, 0);
        e.run();
        assertEquals(10, e.steps());
        assertTrue(e.stopReason().contains("step limit"));
    }

    @Test
    void readyTimeInThePastIsRejected() {
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        e.spawn("bad", Procs.steps("bad", List.of(t -> t.next(-5))), 0);
        assertThrows(IllegalStateException.class, e::run);
    }
}
