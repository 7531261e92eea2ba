package org.pinlab.kernel.internal.locking;

import java.util.Arrays;

import org.pinlab.sim.Task;
import org.pinlab.sim.WaitQueue;

/**
 * One entry of the hashed page wait table ({@code folio_wait_table[]}): a wait queue shared
 * by every page that hashes here, plus which page each sleeper waits for, so a wake can
 * tell whether any sleeper wants this page ({@code PG_waiters}) and the deadlock detector
 * can learn who holds what the sleepers wait for.
 *
 * <p>Holders are exact when every sleeper waits for a page locked by the same task (the
 * usual case: one contended page in the bucket). When sleepers wait for pages of different
 * owners, or for writeback, which nobody holds, the bucket declares no holders: a hash
 * collision may then hide a cycle from the check at park time (the hung-task and
 * end-of-run checks still see the stall), but never invents one.
 */
final class PageWaitBucket implements WaitQueue.Holders {

    final WaitQueue queue;
    private final PageOwners owners;
    private Task[] tasks = new Task[2];
    private int[] pfns = new int[2];
    private boolean[] forLock = new boolean[2];
    private int n;
    private Task commonOwner;

    PageWaitBucket(int index, PageOwners owners) {
        this.queue = new WaitQueue("folio_wait_table[" + index + "]");
        this.owners = owners;
        queue.holders(this);
    }

    /** Records a sleeper; the caller parks it on {@link #queue} in the same step. */
    void add(Task t, int pfn, boolean lock) {
        if (n == tasks.length) {
            tasks = Arrays.copyOf(tasks, n * 2);
            pfns = Arrays.copyOf(pfns, n * 2);
            forLock = Arrays.copyOf(forLock, n * 2);
        }
        tasks[n] = t;
        pfns[n] = pfn;
        forLock[n] = lock;
        n++;
    }

    /** {@code folio_test_waiters()}: does any sleeper here wait for this page? */
    boolean hasWaiter(int pfn) {
        for (int i = 0; i < n; i++) {
            if (pfns[i] == pfn) {
                return true;
            }
        }
        return false;
    }

    /** Wakes every sleeper in the bucket; each rechecks its page and sleeps again if need be. */
    void wakeAll() {
        Arrays.fill(tasks, 0, n, null);
        n = 0;
        queue.wakeAll();
    }

    @Override
    public int count() {
        Task common = null;
        for (int i = 0; i < n; i++) {
            Task o = forLock[i] ? owners.get(pfns[i]) : null;
            if (o == null || (common != null && o != common)) {
                return 0;
            }
            common = o;
        }
        commonOwner = common;
        return common == null ? 0 : 1;
    }

    @Override
    public Task holder(int i) {
        return commonOwner;
    }
}
