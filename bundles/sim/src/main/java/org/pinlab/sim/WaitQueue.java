package org.pinlab.sim;

import java.util.ArrayDeque;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Tasks parked until something happens ({@code wait_queue_head_t}): a lock released, an
 * I/O completed, a page unpinned, writeback ended. FIFO, so wake order is deterministic.
 */
public final class WaitQueue {

    /**
     * Who holds what the queue's waiters wait for (a lock's owners), so the engine can
     * follow the wait-for graph and see a circular wait the moment it closes. The locks
     * built on the engine implement it.
     */
    @ConsumerType
    public interface Holders {
        int count();

        Task holder(int i);
    }

    private final String name;
    private final ArrayDeque<Task> waiters = new ArrayDeque<>(2);
    private Holders holders;

    /** @param name what is waited for, as deadlock and hung-task reports show it */
    public WaitQueue(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Declares who holds what this queue waits for; null for plain events. */
    public void holders(Holders h) {
        this.holders = h;
    }

    public Holders holders() {
        return holders;
    }

    public boolean isEmpty() {
        return waiters.isEmpty();
    }

    public int size() {
        return waiters.size();
    }

    void add(Task t) {
        waiters.addLast(t);
    }

    void remove(Task t) {
        waiters.remove(t);
    }

    /** Wakes the longest waiter ({@code wake_up} with one exclusive waiter). */
    public void wakeOne() {
        Task t = waiters.pollFirst();
        if (t != null) {
            t.engine().wake(t);
        }
    }

    /** Wakes every waiter ({@code wake_up_all}). */
    public void wakeAll() {
        Task t;
        while ((t = waiters.pollFirst()) != null) {
            t.engine().wake(t);
        }
    }

    /** The first waiter, without waking it. */
    public Task peek() {
        return waiters.peekFirst();
    }

    @Override
    public String toString() {
        return name;
    }
}
