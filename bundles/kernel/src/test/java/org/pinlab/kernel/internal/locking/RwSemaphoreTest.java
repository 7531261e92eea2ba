package org.pinlab.kernel.internal.locking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.sim.Engine;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.Task;

class RwSemaphoreTest {

    static final long LOCK_NS = 20;

    private final Engine e = new Engine(1, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
    private final LockValidator lockdep = new LockValidator(e, true);
    private final RwSemaphore sem = new RwSemaphore(e, lockdep, lockdep.mmapLockClass(), "mm1->mmap_lock", LOCK_NS);
    private final List<String> log = new ArrayList<>();

    /** Takes the semaphore, logs "name+time", holds it, logs "name-time" and releases it. */
    private Proc holder(String name, boolean write, long holdNs) {
        return Script.of(name,
                t -> t.call(write ? sem.downWrite() : sem.downRead()),
                t -> {
                    log.add(name + "+" + t.engine().now());
                    return t.next(holdNs);
                },
                t -> {
                    log.add(name + "-" + t.engine().now());
                    if (write) {
                        sem.upWrite(t);
                    } else {
                        sem.upRead(t);
                    }
                    return t.ret();
                });
    }

    @Test
    void readersShareTheLock() {
        e.spawn("r1", holder("r1", false, 1000), 0);
        e.spawn("r2", holder("r2", false, 1000), 10);
        e.runUntil(500);
        assertEquals(2, sem.readers(), "both hold it at once");
        e.run();
        assertEquals(List.of("r1+20", "r2+30", "r1-1020", "r2-1030"), log);
        assertFalse(sem.isLocked());
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void writerExcludesReadersAndWriters() {
        e.spawn("w1", holder("w1", true, 1000), 0);
        e.spawn("r1", holder("r1", false, 100), 10);
        e.spawn("w2", holder("w2", true, 100), 20);
        e.runUntil(500);
        assertEquals("w1", sem.writer().name());
        assertEquals(0, sem.readers());
        e.run();
        assertEquals(List.of("w1+20", "w1-1020", "r1+1040", "r1-1140", "w2+1160", "w2-1260"), log);
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void queuedWriterBlocksNewReadersAndIsServedBeforeThem() {
        e.spawn("r1", holder("r1", false, 1000), 0);
        e.spawn("w", holder("w", true, 500), 100);
        Task r2 = e.spawn("r2", holder("r2", false, 1000), 200);
        e.runUntil(300);
        assertTrue(r2.parked(), "the lock is only read-held, but a writer is queued");
        assertEquals(1, sem.readers());
        assertFalse(sem.downReadTrylock(r2), "down_read_trylock fails behind a queued writer too");
        e.run();
        assertEquals(List.of("r1+20", "r1-1020", "w+1040", "w-1540", "r2+1560", "r2-2560"), log);
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void upWriteWakesTheLeadingReadersTogetherButNotThoseBehindAWriter() {
        e.spawn("w1", holder("w1", true, 1000), 0);
        e.spawn("r1", holder("r1", false, 1000), 10);
        e.spawn("r2", holder("r2", false, 1000), 20);
        e.spawn("w2", holder("w2", true, 1000), 30);
        e.spawn("r3", holder("r3", false, 1000), 40);
        e.runUntil(1500);
        assertEquals(2, sem.readers(), "r1 and r2 were handed the lock at one up_write");
        assertTrue(sem.isContended());
        e.run();
        assertEquals(List.of("w1+20", "w1-1020", "r1+1040", "r2+1040", "r1-2040", "r2-2040",
                "w2+2060", "w2-3060", "r3+3080", "r3-4080"), log);
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void trylocksNeverSleepAndRespectHolders() {
        Task[] self = new Task[1];
        boolean[] results = new boolean[4];
        e.spawn("t", Script.of("t",
                t -> {
                    self[0] = t;
                    results[0] = sem.downWriteTrylock(t);
                    results[1] = sem.downReadTrylock(t);
                    sem.upWrite(t);
                    results[2] = sem.downReadTrylock(t);
                    results[3] = sem.downWriteTrylock(t);
                    sem.upRead(t);
                    return t.next(0);
                }), 0);
        e.run();
        assertTrue(results[0], "free: down_write_trylock takes it");
        assertFalse(results[1], "write-held: down_read_trylock fails");
        assertTrue(results[2]);
        assertFalse(results[3], "read-held: down_write_trylock fails");
        assertFalse(sem.isLocked());
        assertEquals(0, lockdep.depth(self[0]));
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void downgradeWriteLetsTheQueuedReadersIn() {
        e.spawn("w", Script.of("w",
                t -> t.call(sem.downWrite()),
                t -> t.next(1000),
                t -> {
                    sem.downgradeWrite(t);
                    log.add("downgraded@" + t.engine().now() + " readers=" + sem.readers());
                    return t.next(1000);
                },
                t -> {
                    sem.upRead(t);
                    return t.ret();
                }), 0);
        e.spawn("r", holder("r", false, 100), 10);
        e.run();
        assertEquals(List.of("downgraded@1020 readers=2", "r+1040", "r-1140"), log);
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void holdersAreTheWriterOrTheReaders() {
        e.spawn("r1", holder("r1", false, 1000), 0);
        e.spawn("r2", holder("r2", false, 1000), 0);
        e.runUntil(500);
        assertSame(sem, sem.queue().holders());
        assertEquals(2, sem.count());
        List<String> names = List.of(sem.holder(0).name(), sem.holder(1).name());
        assertTrue(names.containsAll(List.of("r1", "r2")), names.toString());
        e.run();
        assertEquals(0, sem.count());
        assertNull(sem.writer());
    }

    @Test
    void upReadByATaskThatDoesNotHoldItWarns() {
        e.spawn("r", holder("r", false, 1000), 0);
        e.spawn("stranger", Script.of("stranger", t -> t.next(100), t -> {
            sem.upRead(t);
            return t.ret();
        }), 0);
        e.run();
        assertEquals(1, e.count(FindingKind.WARN));
        assertTrue(e.findings().get(0).message().contains("does not hold it for read"));
        assertEquals(List.of("r+20", "r-1020"), log);
    }
}
