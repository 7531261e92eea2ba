package org.pinlab.kernel.internal.locking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.sim.Engine;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.Task;

/**
 * Seed 003: the /proc/PID/pagemap reader that holds the target's mmap_lock across
 * {@code put_user()} to its own buffer. Two such readers, each reading the other's
 * pagemap, deadlock once a writer is queued on each mm; lockdep flags the pattern on any
 * schedule, and the fixed reader (walk, drop the lock, then copy out) is clean.
 */
class PagemapMmapLockTest {

    private static final long WALK_NS = 1_000;

    private final Engine e = new Engine(3, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
    private final LockValidator lockdep = new LockValidator(e, true);
    private final RwSemaphore mmA = new RwSemaphore(e, lockdep, lockdep.mmapLockClass(), "mmA->mmap_lock", 20);
    private final RwSemaphore mmB = new RwSemaphore(e, lockdep, lockdep.mmapLockClass(), "mmB->mmap_lock", 20);

    /**
     * The buggy {@code pagemap_read()}: mmap_read_lock(target), walk, then put_user() to
     * the reader's own buffer with the target's lock still held. If the user page is not
     * mapped, the fault takes the reader's own mmap_lock.
     */
    private Proc buggyPagemapRead(RwSemaphore target, RwSemaphore own, boolean userPageFaults) {
        return Script.of("pagemap_read",
                t -> t.call(target.downRead()),
                t -> t.next(WALK_NS), // walk_page_range under the target's mmap_lock
                t -> {
                    lockdep.mightFault(t, own); // put_user -> __might_fault
                    return userPageFaults ? t.call(own.downRead()) : t.next(50);
                },
                t -> {
                    if (userPageFaults) {
                        own.upRead(t); // the fault is resolved
                    }
                    target.upRead(t);
                    return t.ret();
                });
    }

    /** The fixed reader: walks under the lock, drops it, then copies out (and may fault). */
    private Proc fixedPagemapRead(RwSemaphore target, RwSemaphore own) {
        return Script.of("pagemap_read",
                t -> t.call(target.downRead()),
                t -> t.next(WALK_NS),
                t -> {
                    target.upRead(t);
                    lockdep.mightFault(t, own); // copy_to_user, no lock held
                    return t.call(own.downRead()); // and it faults
                },
                t -> {
                    own.upRead(t);
                    return t.ret();
                });
    }

    /** {@code mmap()} in the target process: down_write, change the VMAs, up_write. */
    private static Proc mmap(RwSemaphore mm) {
        return Script.of("vm_mmap_pgoff",
                t -> t.call(mm.downWrite()),
                t -> t.next(500),
                t -> {
                    mm.upWrite(t);
                    return t.ret();
                });
    }

    @Test
    void readersOfEachOthersPagemapDeadlockBehindQueuedWriters() {
        e.spawn("readerA", buggyPagemapRead(mmA, mmB, true), 0);
        e.spawn("readerB", buggyPagemapRead(mmB, mmA, true), 0);
        e.spawn("mmapA", mmap(mmA), 100); // queues behind readerA's read hold
        e.spawn("mmapB", mmap(mmB), 100);
        e.run();
        assertEquals(1, e.count(FindingKind.DEADLOCK));
        Finding deadlock = e.findings().stream().filter(f -> f.kind() == FindingKind.DEADLOCK).findFirst().orElseThrow();
        assertTrue(deadlock.message().startsWith("circular wait: readerB waits on mmA->mmap_lock, held by readerA"),
                deadlock.message());
        assertTrue(deadlock.message().contains("mmB->mmap_lock"), deadlock.message());
        assertTrue(e.now() < 2 * WALK_NS, "found when the cycle closed");
        assertEquals(1, e.count(FindingKind.LOCK_INVERSION), "lockdep saw it first, at the first put_user");
    }

    @Test
    void oneQueuedWriterIsNotEnoughAcrossTwoMms() {
        e.spawn("readerA", buggyPagemapRead(mmA, mmB, true), 0);
        e.spawn("readerB", buggyPagemapRead(mmB, mmA, true), 0);
        e.spawn("mmapA", mmap(mmA), 100);
        e.run();
        assertEquals(0, e.count(FindingKind.DEADLOCK), "readerA still gets mmB, finishes and lets the others on");
        assertEquals(1, e.count(FindingKind.LOCK_INVERSION));
        assertEquals(0, e.liveTasks());
    }

    @Test
    void readingOnesOwnPagemapDeadlocksBehindOneQueuedWriter() {
        e.spawn("reader", buggyPagemapRead(mmA, mmA, true), 0);
        e.spawn("mmap", mmap(mmA), 100);
        e.run();
        assertEquals(1, e.count(FindingKind.DEADLOCK));
        assertTrue(e.findings().get(0).message().startsWith("possible recursive locking detected: reader is trying "
                + "to acquire &mm->mmap_lock (instance mmA->mmap_lock) but already holds &mm->mmap_lock "
                + "(instance mmA->mmap_lock)"), e.findings().get(0).message());
    }

    @Test
    void lockdepFlagsTheReaderOnAScheduleThatDoesNotDeadlock() {
        // no writer, no fault, the readers one after the other: nothing ever waits
        Task a = e.spawn("readerA", buggyPagemapRead(mmA, mmB, false), 0);
        Task b = e.spawn("readerB", buggyPagemapRead(mmB, mmA, false), 1_000_000);
        e.run();
        assertTrue(a.done() && b.done());
        assertEquals(0, e.count(FindingKind.DEADLOCK));
        assertEquals(1, e.count(FindingKind.LOCK_INVERSION), "reported once per class, as lockdep does");
        Finding f = e.findings().get(0);
        assertEquals("possible recursive locking detected: readerA is trying to acquire &mm->mmap_lock "
                + "(instance mmB->mmap_lock) but already holds &mm->mmap_lock (instance mmA->mmap_lock)", f.message());
        assertEquals("readerA", f.task());
        assertEquals("pagemap_read+3", f.backtrace().get(0));
        assertFalse(e.stopped());
    }

    @Test
    void theFixedReaderIsSilentEvenUnderQueuedWriters() {
        e.spawn("readerA", fixedPagemapRead(mmA, mmB), 0);
        e.spawn("readerB", fixedPagemapRead(mmB, mmA), 0);
        e.spawn("mmapA", mmap(mmA), 100);
        e.spawn("mmapB", mmap(mmB), 100);
        e.run();
        assertTrue(e.findings().isEmpty(), e.findings().toString());
        assertEquals(0, e.liveTasks());
    }

    @Test
    void theDeadlockIsFoundOnRandomSchedulesToo() {
        int deadlocks = 0;
        for (long seed = 0; seed < 50; seed++) {
            Engine r = new Engine(seed, Schedulers.random(seed), EngineConfig.DEFAULT.withRaceWindow(2_000));
            LockValidator v = new LockValidator(r, true);
            RwSemaphore a = new RwSemaphore(r, v, v.mmapLockClass(), "mmA->mmap_lock", 20);
            RwSemaphore b = new RwSemaphore(r, v, v.mmapLockClass(), "mmB->mmap_lock", 20);
            r.spawn("readerA", pagemapRead(v, a, b), 0);
            r.spawn("readerB", pagemapRead(v, b, a), 0);
            r.spawn("mmapA", mmap(a), 100);
            r.spawn("mmapB", mmap(b), 100);
            r.run();
            assertEquals(1, r.count(FindingKind.LOCK_INVERSION), "seed " + seed);
            deadlocks += r.count(FindingKind.DEADLOCK);
            assertTrue(r.count(FindingKind.DEADLOCK) == 1 || r.liveTasks() == 0, "seed " + seed + ": "
                    + r.findings());
        }
        assertTrue(deadlocks > 0, "some schedules deadlock");
    }

    private static Proc pagemapRead(LockValidator v, RwSemaphore target, RwSemaphore own) {
        return Script.of("pagemap_read",
                t -> t.call(target.downRead()),
                t -> t.next(WALK_NS),
                t -> {
                    v.mightFault(t, own);
                    return t.call(own.downRead());
                },
                t -> {
                    own.upRead(t);
                    target.upRead(t);
                    return t.ret();
                });
    }
}
