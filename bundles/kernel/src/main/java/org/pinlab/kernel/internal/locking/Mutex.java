package org.pinlab.kernel.internal.locking;

import java.util.ArrayDeque;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;
import org.pinlab.sim.WaitQueue;

/**
 * A sleeping {@code struct mutex} ({@code kernel/locking/mutex.c}): one owner, waiters
 * served FIFO. {@link #lock()} is a Proc to push; unlock and trylock are plain methods.
 *
 * <p>Departure from the kernel: unlock hands the mutex to the first waiter, always; the
 * kernel hands off only to a waiter that has starved ({@code MUTEX_FLAG_HANDOFF}) and
 * otherwise lets an optimistic spinner take it first. Wakeup latency is not charged.
 */
public final class Mutex implements WaitQueue.Holders {

    private final Engine engine;
    private final String name;
    private final LockClass lockClass;
    private final int instance;
    private final LockValidator validator;
    private final long lockNs;
    private final WaitQueue queue;
    /** The sleepers in queue order; {@link #queue} parks the same tasks in the same order. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(2);
    private Task owner;

    /**
     * @param name   the instance, as reports show it, e.g. {@code "inode7->i_rwsem"}
     * @param lockNs cost of an acquisition step ({@code Cost.LOCK})
     */
    public Mutex(Engine engine, LockValidator validator, LockClass lockClass, String name, long lockNs) {
        if (lockNs < 0) {
            throw new IllegalArgumentException("lockNs must not be negative, was " + lockNs);
        }
        this.engine = engine;
        this.name = name;
        this.lockClass = lockClass;
        this.validator = validator;
        this.instance = validator.newInstance(name);
        this.lockNs = lockNs;
        this.queue = new WaitQueue(name);
        queue.holders(this);
    }

    /** {@code mutex_lock()}: a Proc to push with {@code task.call}. */
    public Proc lock() {
        return new Lock("mutex_lock", lockClass);
    }

    /** {@code mutex_lock_nested()}: the same, under a lockdep nesting subclass. */
    public Proc lockNested(int subclass) {
        return new Lock("mutex_lock_nested", validator.nested(lockClass, subclass));
    }

    /** {@code mutex_trylock()}: takes it if nobody owns it, never sleeps. */
    public boolean trylock(Task t) {
        if (owner != null) {
            return false;
        }
        owner = t;
        validator.acquireTrylock(t, lockClass, instance, false);
        return true;
    }

    /** {@code mutex_unlock()}: {@code __mutex_unlock_slowpath} hands it to the first waiter. */
    public void unlock(Task t) {
        if (owner != t) {
            // DEBUG_MUTEXES: DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)
            engine.report(FindingKind.WARN, "mutex_unlock of " + name + " by " + t.name() + ", but "
                    + (owner == null ? "it is not locked" : owner.name() + " owns it"), t);
            if (owner == null) {
                return;
            }
        }
        validator.release(owner, lockClass, instance);
        owner = null;
        Waiter w = waiters.pollFirst();
        if (w != null) {
            owner = w.task;
            w.granted = true;
            if (queue.peek() != w.task) {
                throw new IllegalStateException(name + ": wait queue out of step with its waiters at " + w.task);
            }
            queue.wakeOne();
        }
    }

    public String name() {
        return name;
    }

    public LockClass lockClass() {
        return lockClass;
    }

    /** {@code mutex_is_locked()}. */
    public boolean isLocked() {
        return owner != null;
    }

    /** {@code __mutex_owner()}. */
    public Task owner() {
        return owner;
    }

    public WaitQueue queue() {
        return queue;
    }

    @Override
    public int count() {
        return owner == null ? 0 : 1;
    }

    @Override
    public Task holder(int i) {
        return owner;
    }

    @Override
    public String toString() {
        return name;
    }

    /** {@code mutex_lock()}: {@code __mutex_trylock_fast}, else sleep in the slow path. */
    private final class Lock extends Proc {

        private final LockClass taken;

        Lock(String function, LockClass taken) {
            super(function);
            this.taken = taken;
        }

        /** The fast path, the return from the slow path, and the lock held. */
        private enum Step implements Proc.State { TRYLOCK, WOKEN, LOCKED }

        private static final Step[] STEPS = byPc(Step.values());

        @Override
        protected int step(Task t) {
            switch (STEPS[pc]) {
                case TRYLOCK:
                    // mutex_acquire(): lockdep sees the attempt before any sleep
                    validator.acquire(t, taken, instance, false);
                    if (owner == null && waiters.isEmpty()) {
                        owner = t;
                        resume(Step.LOCKED);
                        return t.next(lockNs);
                    }
                    resume(Step.WOKEN);
                    return t.call(new Waiter());
                case WOKEN:
                    // handed the mutex by mutex_unlock(): this step is the acquisition
                    resume(Step.LOCKED);
                    return t.next(lockNs);
                case LOCKED:
                default:
                    return t.ret();
            }
        }
    }

    /** {@code __mutex_lock_slowpath()}: queue and sleep until handed the mutex. */
    private final class Waiter extends Proc {

        Task task;
        boolean granted;

        Waiter() {
            super("__mutex_lock_slowpath");
        }

        /** Queue and sleep; then woken, holding the lock. */
        private enum Step implements Proc.State { QUEUE, WOKEN }

        private static final Step[] STEPS = byPc(Step.values());

        @Override
        protected int step(Task t) {
            if (STEPS[pc] == Step.QUEUE) {
                task = t;
                waiters.addLast(this);
                resume(Step.WOKEN);
                return t.park(queue);
            }
            if (!granted) {
                throw new IllegalStateException(t + " woken on " + name + " without the mutex");
            }
            return t.ret();
        }
    }
}
