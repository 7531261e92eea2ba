package org.pinlab.kernel.internal.locking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.sim.Engine;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.Task;

class PageLocksTest {

    private final Engine e = new Engine(1, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
    private final FrameStore frames = new FrameStore(4096);
    private final LockValidator lockdep = new LockValidator(e, true);
    private final PageLocks pages = new PageLocks(e, frames, lockdep, 20);
    private final List<String> log = new ArrayList<>();

    /** lock_page, log "name+time", hold, log "name-time", unlock_page. */
    private Proc locker(String name, int pfn, long holdNs) {
        return Script.of(name,
                t -> t.call(pages.lockPage(pfn)),
                t -> {
                    log.add(name + "+" + t.engine().now());
                    return t.next(holdNs);
                },
                t -> {
                    log.add(name + "-" + t.engine().now());
                    pages.unlockPage(pfn);
                    return t.ret();
                });
    }

    /** Runs {@code action} at {@code atNs} from a task of its own, as an I/O completion would. */
    private void at(long atNs, String name, Runnable action) {
        e.spawn(name, Script.of(name, t -> {
            action.run();
            return t.ret();
        }), atNs);
    }

    @Test
    void secondLockerSleepsUntilTheUnlockThenTakesThePage() {
        Task first = e.spawn("first", locker("first", 5, 1000), 0);
        Task second = e.spawn("second", locker("second", 5, 100), 10);
        e.runUntil(500);
        assertTrue(second.parked());
        assertEquals(first, pages.owner(5));
        assertTrue(frames.test(5, PageFlags.LOCKED));
        e.run();
        assertEquals(List.of("first+20", "first-1020", "second+1040", "second-1140"), log);
        assertFalse(pages.isLocked(5));
        assertNull(pages.owner(5));
        assertEquals(0, pages.lockedPages());
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void trylockFailsOnALockedPage() {
        boolean[] results = new boolean[2];
        e.spawn("holder", locker("holder", 7, 1000), 0);
        e.spawn("trier", Script.of("trier", t -> t.next(100), t -> {
            results[0] = pages.trylockPage(t, 7);
            results[1] = pages.trylockPage(t, 8);
            pages.unlockPage(8);
            return t.ret();
        }), 0);
        e.run();
        assertFalse(results[0]);
        assertTrue(results[1]);
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void writebackWaiterSleepsUntilEndWriteback() {
        frames.set(3, PageFlags.WRITEBACK);
        e.spawn("fsync", Script.of("fsync", t -> t.call(pages.waitOnPageWriteback(3)), t -> {
            log.add("waited until " + t.engine().now());
            return t.ret();
        }), 0);
        at(5000, "irq", () -> pages.endPageWriteback(3));
        e.run();
        assertEquals(List.of("waited until 5000"), log);
        assertFalse(frames.test(3, PageFlags.WRITEBACK));
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void waitingOnAPageNotUnderWritebackReturnsAtOnce() {
        e.spawn("fsync", Script.of("fsync", t -> t.call(pages.waitOnPageWriteback(3)), t -> {
            log.add("done at " + t.engine().now());
            return t.next(0);
        }), 0);
        e.run();
        assertEquals(List.of("done at 0"), log);
        assertEquals(2, e.steps(), "the wait added no step: the caller's step, then its exit");
    }

    @Test
    void pagesSharingABucketEachWaitForTheirOwnPage() {
        int p = 5;
        int q = p + 1;
        while (PageLocks.bucketIndex(q) != PageLocks.bucketIndex(p)) {
            q++;
        }
        e.spawn("holdP", locker("holdP", p, 1000), 0);
        e.spawn("holdQ", locker("holdQ", q, 3000), 0);
        e.spawn("waitP", locker("waitP", p, 100), 10);
        Task waitQ = e.spawn("waitQ", locker("waitQ", q, 100), 10);
        e.runUntil(2000);
        assertTrue(waitQ.parked(), "woken with the bucket at p's unlock, it found q still locked and slept again");
        e.run();
        assertEquals(List.of("holdP+20", "holdQ+20", "holdP-1020", "waitP+1040", "waitP-1140", "holdQ-3020",
                "waitQ+3040", "waitQ-3140"), log);
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void aPageLockedAtCreationBelongsToTheReadInFlight() {
        // filemap_add_folio sets PG_locked on the new page; the read's completion unlocks it
        frames.set(9, PageFlags.LOCKED);
        e.spawn("fault", locker("fault", 9, 100), 0);
        at(80_000, "irq/nvme0", () -> pages.unlockPage(9));
        e.run();
        assertEquals(List.of("fault+80020", "fault-80120"), log);
        assertTrue(e.findings().isEmpty(), "waiting for one's own read is no deadlock: " + e.findings());
    }

    @Test
    void lockingAPageOneAlreadyHoldsIsADeadlock() {
        e.spawn("self", Script.of("self", t -> t.call(pages.lockPage(4)), t -> t.call(pages.lockPage(4))), 0);
        e.run();
        assertEquals(1, e.count(FindingKind.DEADLOCK));
        assertTrue(e.findings().stream().anyMatch(f -> f.message().contains("folio_wait_table[")));
    }

    @Test
    void aTailPageLocksItsFolioHead() {
        frames.prepCompound(8, 2);
        e.spawn("t", Script.of("t", t -> t.call(pages.lockPage(10)), t -> {
            log.add("head locked: " + frames.test(8, PageFlags.LOCKED) + ", tail bit: " + frames.test(10, PageFlags.LOCKED));
            pages.unlockPage(9);
            return t.ret();
        }), 0);
        e.run();
        assertEquals(List.of("head locked: true, tail bit: false"), log);
        assertFalse(pages.isLocked(8));
    }

    @Test
    void unlockingAnUnlockedPageIsABug() {
        at(0, "t", () -> pages.unlockPage(2));
        e.run();
        assertEquals(1, e.count(FindingKind.BUG));
        assertTrue(e.stopped());
    }

    @Test
    void mmapLockThenPageLockInOneTaskAndTheReverseInAnotherIsAnInversion() {
        RwSemaphore mm = new RwSemaphore(e, lockdep, lockdep.mmapLockClass(), "mm1->mmap_lock", 20);
        // the fault path: mmap_lock, then lock_page
        e.spawn("fault", Script.of("fault",
                t -> t.call(mm.downRead()),
                t -> t.call(pages.lockPage(1)),
                t -> {
                    pages.unlockPage(1);
                    mm.upRead(t);
                    return t.ret();
                }), 0);
        // a path that faults under a page lock
        e.spawn("bad", Script.of("bad",
                t -> t.call(pages.lockPage(2)),
                t -> {
                    lockdep.mightFault(t, mm);
                    pages.unlockPage(2);
                    return t.ret();
                }), 1000);
        e.run();
        assertEquals(1, e.count(FindingKind.LOCK_INVERSION));
        String m = e.findings().get(0).message();
        assertTrue(m.contains("trying to acquire &mm->mmap_lock") && m.contains("already holds lock_page (instance pfn 2)")
                && m.contains("existing dependency chain: &mm->mmap_lock -> lock_page"), m);
    }
}
