package org.pinlab.kernel.internal.locking;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * Page locks and writeback waits over the frame store's {@link PageFlags#LOCKED} and
 * {@link PageFlags#WRITEBACK} bits ({@code mm/filemap.c}). Sleepers wait in a fixed table
 * of hashed wait queues, as the kernel's {@code folio_waitqueue()}, not one queue per page:
 * a wake wakes the whole bucket and every sleeper rechecks its own page. A page's lock is
 * its folio's: every operation acts on the compound head.
 *
 * <p>A page locked by {@link #lockPage} or {@link #trylockPage} has an owner entry (a small
 * map, only for locked pages), which lets the engine's deadlock detector see who holds a
 * page its sleepers wait for. A page whose PG_locked its creator set directly
 * ({@code __folio_set_locked()} on a new page-cache folio) has no owner: the lock then
 * belongs to the read in flight, and the submitter may itself sleep on it until the I/O
 * completion unlocks it, which is no deadlock.
 *
 * <p>Departures from the kernel: a wake reaches every sleeper of the bucket, not only those
 * whose key matches the page, so other pages' sleepers recheck and sleep again (restarting
 * their hung-task clock); and the lock is not handed to the first waiter as since 5.9, so a
 * running task may take a page its woken waiters then find locked again. With a validator,
 * page locks are the lockdep class {@code lock_page}; the kernel does not validate
 * {@code PG_locked} (its cross-release lockdep was reverted), so this check is the model's
 * own and, like lockdep, cannot see that two page locks taken in index order are safe.
 */
public final class PageLocks {

    /** {@code PAGE_WAIT_TABLE_BITS}. */
    public static final int WAIT_TABLE_BITS = 8;
    /** {@code GOLDEN_RATIO_32}, as {@code hash_32()} multiplies by. */
    private static final int GOLDEN_RATIO_32 = 0x61C88647;

    private final Engine engine;
    private final FrameStore frames;
    private final LockValidator validator;
    private final LockClass lockClass;
    private final long lockNs;
    private final PageOwners owners = new PageOwners();
    private final PageWaitBucket[] table = new PageWaitBucket[1 << WAIT_TABLE_BITS];

    /**
     * @param validator the lock validator, or null to leave page locks unvalidated, as the
     *                  kernel does
     * @param lockNs    cost of a lock acquisition step, a {@code test_and_set_bit}
     *                  ({@code Cost.LOCK})
     */
    public PageLocks(Engine engine, FrameStore frames, LockValidator validator, long lockNs) {
        if (lockNs < 0) {
            throw new IllegalArgumentException("lockNs must not be negative, was " + lockNs);
        }
        this.engine = engine;
        this.frames = frames;
        this.validator = validator;
        this.lockClass = validator == null ? null : validator.numberedLockClass("lock_page", "pfn ");
        this.lockNs = lockNs;
        for (int i = 0; i < table.length; i++) {
            table[i] = new PageWaitBucket(i, owners);
        }
    }

    /** {@code folio_waitqueue()}: {@code hash_32(pfn, PAGE_WAIT_TABLE_BITS)}; the kernel hashes the folio's address. */
    static int bucketIndex(int pfn) {
        return (pfn * GOLDEN_RATIO_32) >>> (32 - WAIT_TABLE_BITS);
    }

    private PageWaitBucket bucket(int head) {
        return table[bucketIndex(head)];
    }

    // ---- the page lock --------------------------------------------------------------

    /** {@code folio_lock()}: a Proc to push with {@code task.call}. */
    public Proc lockPage(int pfn) {
        return new Lock(frames.compoundHead(pfn));
    }

    /** {@code folio_trylock()}: never sleeps. */
    public boolean trylockPage(Task t, int pfn) {
        int head = frames.compoundHead(pfn);
        if (frames.testAndSet(head, PageFlags.LOCKED)) {
            return false;
        }
        owners.put(head, t);
        if (validator != null) {
            validator.acquireTrylock(t, lockClass, head, false);
        }
        return true;
    }

    /**
     * The lock of a folio just added to the page cache locked ({@code __folio_set_locked} in
     * {@code __filemap_get_folio} with {@code FGP_LOCK | FGP_CREAT}) belongs to the task that
     * added it, which goes on to fill it.
     */
    public void adoptLock(Task t, int pfn) {
        int head = frames.compoundHead(pfn);
        if (!frames.test(head, PageFlags.LOCKED) || owners.get(head) != null) {
            throw new IllegalStateException("adoptLock: pfn " + head + " is not a newly added, locked folio");
        }
        owners.put(head, t);
        if (validator != null) {
            validator.acquireTrylock(t, lockClass, head, false);
        }
    }

    /**
     * {@code folio_unlock()}: clears PG_locked and wakes the page's sleepers. Any context may
     * unlock (read I/O completion unlocks the page its submitter locked); the validator
     * drops the lock from its owner's stack.
     */
    public void unlockPage(int pfn) {
        int head = frames.compoundHead(pfn);
        if (!frames.testAndClear(head, PageFlags.LOCKED)) {
            engine.report(FindingKind.BUG, "VM_BUG_ON_FOLIO(!folio_test_locked(folio)): folio_unlock of pfn "
                    + head + ", which is not locked");
            return;
        }
        Task owner = owners.remove(head);
        if (validator != null && owner != null) {
            validator.release(owner, lockClass, head);
        }
        folioWakeBit(head);
    }

    // ---- writeback --------------------------------------------------------------------

    /** {@code folio_wait_writeback()}: a Proc that returns at once unless PG_writeback is set. */
    public Proc waitOnPageWriteback(int pfn) {
        return new WaitBit("folio_wait_writeback", frames.compoundHead(pfn), false);
    }

    /**
     * {@code folio_end_writeback()}: clears PG_writeback and wakes the page's sleepers. The
     * PG_reclaim rotation it also does belongs to the LRU, not here.
     */
    public void endPageWriteback(int pfn) {
        int head = frames.compoundHead(pfn);
        if (!frames.testAndClear(head, PageFlags.WRITEBACK)) {
            engine.report(FindingKind.BUG, "VM_BUG_ON_FOLIO(!folio_test_writeback(folio)): folio_end_writeback of pfn "
                    + head + ", which is not under writeback");
            return;
        }
        folioWakeBit(head);
    }

    /** {@code folio_wake_bit()}: only if someone sleeps on this page ({@code PG_waiters}). */
    private void folioWakeBit(int head) {
        PageWaitBucket b = bucket(head);
        if (b.hasWaiter(head)) {
            b.wakeAll();
        }
    }

    // ---- queries ----------------------------------------------------------------------

    /** {@code folio_test_locked()}. */
    public boolean isLocked(int pfn) {
        return frames.test(frames.compoundHead(pfn), PageFlags.LOCKED);
    }

    /** The task that locked the page, or null if it is unlocked or was locked at creation. */
    public Task owner(int pfn) {
        return owners.get(frames.compoundHead(pfn));
    }

    /** How many pages are locked. */
    public int lockedPages() {
        return owners.size();
    }

    /** The lockdep class of page locks, or null without a validator. */
    public LockClass lockClass() {
        return lockClass;
    }

    // ---- the Procs ------------------------------------------------------------------

    /** {@code folio_lock()}: {@code folio_trylock()}, else sleep in {@code __folio_lock()}. */
    private final class Lock extends Proc {

        private final int head;

        Lock(int head) {
            super("folio_lock");
            this.head = head;
        }

        /** The fast path, the return from the slow path, and the lock held. */
        private enum Step implements Proc.State { TRYLOCK, WOKEN, LOCKED }

        private static final Step[] STEPS = byPc(Step.values());

        @Override
        protected int step(Task t) {
            switch (STEPS[pc]) {
                case TRYLOCK:
                    if (validator != null) {
                        validator.acquire(t, lockClass, head, false);
                    }
                    if (!frames.testAndSet(head, PageFlags.LOCKED)) {
                        owners.put(head, t);
                        resume(Step.LOCKED);
                        return t.next(lockNs);
                    }
                    resume(Step.WOKEN);
                    return t.call(new WaitBit("__folio_lock", head, true));
                case WOKEN:
                    // took the lock on a recheck after a wake: this step is the acquisition
                    resume(Step.LOCKED);
                    return t.next(lockNs);
                case LOCKED:
                default:
                    return t.ret();
            }
        }
    }

    /**
     * {@code folio_wait_bit_common()}: sleeps in the page's bucket until the bit is clear
     * (for the lock: until a {@code test_and_set_bit} wins it), rechecking after each wake.
     */
    private final class WaitBit extends Proc {

        private final int head;
        private final boolean lock;

        WaitBit(String function, int head, boolean lock) {
            super(function);
            this.head = head;
            this.lock = lock;
        }

        @Override
        protected int step(Task t) {
            if (lock) {
                if (!frames.testAndSet(head, PageFlags.LOCKED)) {
                    owners.put(head, t);
                    return t.ret();
                }
            } else if (!frames.test(head, PageFlags.WRITEBACK)) {
                return t.ret();
            }
            pc++; // not a state: it counts the sleeps, so the trace tells one recheck from the next
            PageWaitBucket b = bucket(head);
            b.add(t, head, lock);
            return t.park(b.queue);
        }
    }
}
