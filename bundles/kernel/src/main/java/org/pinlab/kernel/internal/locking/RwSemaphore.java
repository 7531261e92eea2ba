package org.pinlab.kernel.internal.locking;

import java.util.ArrayDeque;
import java.util.Arrays;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;
import org.pinlab.sim.WaitQueue;

/**
 * A writer-preferring {@code struct rw_semaphore} ({@code kernel/locking/rwsem.c}), such as
 * an mm's {@code mmap_lock}. A reader waits while a writer holds the lock <em>or any task is
 * queued</em>: so one queued writer blocks every later reader, and two tasks that each hold
 * one mm's lock for read and fault on the other's deadlock once a writer is queued on each
 * (the pagemap ABBA, seed 003).
 *
 * <p>Blocking acquisitions are Procs the caller pushes ({@code task.call(sem.downRead())});
 * each ends with the acquisition step, a preemption point of {@code lockNs}. Releases and
 * trylocks are plain methods run inside the caller's step. Waiters queue FIFO and are
 * handed the lock by the releaser: all leading readers together, or one writer.
 *
 * <p>Departures from the kernel: the lock is handed over on release, with no optimistic
 * spinning or lock stealing by a running task (the kernel's woken writer must still take
 * the lock, and since 5.3 a wake grants every queued reader, not only the leading run);
 * wakeup latency is not charged, a woken task's acquisition step costs {@code lockNs}
 * like an uncontended one.
 */
public final class RwSemaphore implements WaitQueue.Holders {

    private final Engine engine;
    private final String name;
    private final LockClass lockClass;
    private final int instance;
    private final LockValidator validator;
    private final long lockNs;
    private final WaitQueue queue;
    /** The sleepers in queue order; {@link #queue} parks the same tasks in the same order. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(2);
    private Task writer;
    /** One entry per read hold (a task may appear twice), for the deadlock detector. */
    private Task[] readers = new Task[4];
    private int readerCount;

    /**
     * @param name      the instance, as reports show it, e.g. {@code "mm2->mmap_lock"}
     * @param lockClass its lockdep class, e.g. {@code &mm->mmap_lock}, shared by all mms
     * @param lockNs    cost of an acquisition step: one atomic RMW on the count
     *                  ({@code Cost.LOCK}, about 20 ns)
     */
    public RwSemaphore(Engine engine, LockValidator validator, LockClass lockClass, String name, long lockNs) {
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

    // ---- acquisitions ---------------------------------------------------------------

    /** {@code down_read()}: a Proc to push with {@code task.call}. */
    public Proc downRead() {
        return new Acquire("down_read", false, lockClass);
    }

    /** {@code down_read_nested()}: the same, under a lockdep nesting subclass. */
    public Proc downReadNested(int subclass) {
        return new Acquire("down_read_nested", false, validator.nested(lockClass, subclass));
    }

    /** {@code down_write()}. */
    public Proc downWrite() {
        return new Acquire("down_write", true, lockClass);
    }

    /** {@code down_write_nested()}. */
    public Proc downWriteNested(int subclass) {
        return new Acquire("down_write_nested", true, validator.nested(lockClass, subclass));
    }

    /** {@code down_read_trylock()}: fails under a writer or behind a queued one, never sleeps. */
    public boolean downReadTrylock(Task t) {
        if (!readFree()) {
            return false;
        }
        addReader(t);
        validator.acquireTrylock(t, lockClass, instance, true);
        return true;
    }

    /** {@code down_write_trylock()}: only an unheld semaphore with no waiters. */
    public boolean downWriteTrylock(Task t) {
        if (!writeFree()) {
            return false;
        }
        writer = t;
        validator.acquireTrylock(t, lockClass, instance, false);
        return true;
    }

    // ---- releases -------------------------------------------------------------------

    /** {@code up_read()}: the last reader out wakes the queue ({@code rwsem_wake}). */
    public void upRead(Task t) {
        int i = indexOfReader(t);
        if (i < 0) {
            // DEBUG_RWSEMS_WARN_ON(!is_rwsem_reader_owned(sem))
            engine.report(FindingKind.WARN, "up_read of " + name + " by " + t.name()
                    + ", which does not hold it for read", t);
            return;
        }
        readers[i] = readers[--readerCount];
        readers[readerCount] = null;
        validator.release(t, lockClass, instance);
        if (readerCount == 0 && !waiters.isEmpty()) {
            rwsemWake();
        }
    }

    /** {@code up_write()}: wakes the queue ({@code rwsem_wake}). */
    public void upWrite(Task t) {
        Task owner = writer;
        if (owner == null) {
            engine.report(FindingKind.WARN, "up_write of " + name + " by " + t.name()
                    + ", but it is not write-locked", t);
            return;
        }
        if (owner != t) {
            // DEBUG_RWSEMS_WARN_ON(rwsem_owner(sem) != current); the kernel releases it anyway
            engine.report(FindingKind.WARN, "up_write of " + name + " by " + t.name()
                    + ", but " + owner.name() + " owns it", t);
        }
        writer = null;
        validator.release(owner, lockClass, instance);
        if (!waiters.isEmpty()) {
            rwsemWake();
        }
    }

    /** {@code downgrade_write()}: the writer becomes a reader and lets the leading readers in. */
    public void downgradeWrite(Task t) {
        if (writer != t) {
            engine.report(FindingKind.WARN, "downgrade_write of " + name + " by " + t.name()
                    + ", which does not own it", t);
            return;
        }
        writer = null;
        addReader(t);
        validator.downgrade(t, lockClass, instance);
        // rwsem_downgrade_wake(): only readers can be granted, the lock is read-owned now
        rwsemWake();
    }

    /**
     * {@code rwsem_wake()} -> {@code rwsem_mark_wake()}: hands the lock to the first waiter
     * if it is a writer and the lock is free, else to the run of readers at the head.
     */
    private void rwsemWake() {
        Waiter first = waiters.peekFirst();
        if (first == null || writer != null) {
            return;
        }
        if (first.write) {
            if (readerCount == 0) {
                handOff(first);
            }
            return;
        }
        while ((first = waiters.peekFirst()) != null && !first.write) {
            handOff(first);
        }
    }

    private void handOff(Waiter w) {
        waiters.pollFirst();
        if (w.write) {
            writer = w.task;
        } else {
            addReader(w.task);
        }
        w.granted = true;
        if (queue.peek() != w.task) {
            throw new IllegalStateException(name + ": wait queue out of step with its waiters at " + w.task);
        }
        queue.wakeOne();
    }

    // ---- state ----------------------------------------------------------------------

    private boolean readFree() {
        return writer == null && waiters.isEmpty();
    }

    private boolean writeFree() {
        return writer == null && readerCount == 0 && waiters.isEmpty();
    }

    private void addReader(Task t) {
        if (readerCount == readers.length) {
            readers = Arrays.copyOf(readers, readerCount * 2);
        }
        readers[readerCount++] = t;
    }

    private int indexOfReader(Task t) {
        for (int i = readerCount - 1; i >= 0; i--) {
            if (readers[i] == t) {
                return i;
            }
        }
        return -1;
    }

    public String name() {
        return name;
    }

    public LockClass lockClass() {
        return lockClass;
    }

    /** The validator's id for this semaphore (lockdep's instance, for {@code mightFault}). */
    public int instance() {
        return instance;
    }

    /** {@code rwsem_is_locked()}. */
    public boolean isLocked() {
        return writer != null || readerCount != 0;
    }

    /** The owning writer, or null. */
    public Task writer() {
        return writer;
    }

    /** How many read holds there are. */
    public int readers() {
        return readerCount;
    }

    /** {@code rwsem_is_contended()}: tasks are queued. */
    public boolean isContended() {
        return !waiters.isEmpty();
    }

    public WaitQueue queue() {
        return queue;
    }

    // ---- WaitQueue.Holders: the writer, then the readers ----------------------------

    @Override
    public int count() {
        return (writer != null ? 1 : 0) + readerCount;
    }

    @Override
    public Task holder(int i) {
        if (writer != null) {
            return i == 0 ? writer : readers[i - 1];
        }
        return readers[i];
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- the Procs ------------------------------------------------------------------

    /** {@code down_read()} / {@code down_write()}: fast path, else sleep in the slow path. */
    private final class Acquire extends Proc {

        private final boolean write;
        private final LockClass taken;

        Acquire(String function, boolean write, LockClass taken) {
            super(function);
            this.write = write;
            this.taken = taken;
        }

        /** The fast path, the return from the slow path, and the lock held. */
        private enum Step implements Proc.State { TRYLOCK, WOKEN, LOCKED }

        private static final Step[] STEPS = byPc(Step.values());

        @Override
        protected int step(Task t) {
            switch (STEPS[pc]) {
                case TRYLOCK:
                    // rwsem_acquire{,_read}(): lockdep sees the attempt before any sleep
                    validator.acquire(t, taken, instance, !write);
                    if (write ? writeFree() : readFree()) {
                        // rwsem_read_trylock() / rwsem_write_trylock() succeeded
                        if (write) {
                            writer = t;
                        } else {
                            addReader(t);
                        }
                        resume(Step.LOCKED);
                        return t.next(lockNs);
                    }
                    resume(Step.WOKEN);
                    return t.call(new Waiter(write));
                case WOKEN:
                    // back from the slow path owning the lock: this step is the acquisition
                    resume(Step.LOCKED);
                    return t.next(lockNs);
                case LOCKED:
                default:
                    return t.ret();
            }
        }
    }

    /** {@code rwsem_down_read_slowpath()} / {@code rwsem_down_write_slowpath()}: queue and sleep. */
    private final class Waiter extends Proc {

        final boolean write;
        Task task;
        boolean granted;

        Waiter(boolean write) {
            super(write ? "rwsem_down_write_slowpath" : "rwsem_down_read_slowpath");
            this.write = write;
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
                throw new IllegalStateException(t + " woken on " + name + " without the lock");
            }
            return t.ret();
        }
    }
}
