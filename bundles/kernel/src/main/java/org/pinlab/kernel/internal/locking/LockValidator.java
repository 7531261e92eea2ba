package org.pinlab.kernel.internal.locking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Task;

/**
 * Lockdep for one machine ({@code kernel/locking/lockdep.c}): it learns the order in which
 * lock classes are taken and reports an order that could deadlock the first time that
 * order is taken, whether or not any task ever waits.
 *
 * <p>Each task has a held-lock stack. Taking a lock adds the dependency {@code held -> new}
 * for every class the task holds; a new dependency that closes a cycle is a
 * "possible circular locking dependency", and taking a class the task already holds is a
 * "possible recursive locking" unless the second acquisition names a nesting subclass.
 * rwsem readers are checked like writers: a read of a writer-preferring rwsem can wait
 * behind a queued writer, so read-read is not safe (lockdep's read=1, not recursive read=2).
 * Each problem is reported once per class pair, or once per class for recursion.
 *
 * <p>Departures from lockdep: it keeps validating after a report (lockdep turns itself
 * off), adds the edge from every held class rather than from the nearest one (reachability
 * is the same), and has no irq-state or recursive-read (read=2) tracking.
 *
 * <p>A validator belongs to one engine: held stacks are indexed by task id. It costs an
 * array lookup and a push when the task holds nothing, and nothing at all when disabled.
 */
public final class LockValidator {

    /** {@code MAX_LOCKDEP_SUBCLASSES}. */
    public static final int MAX_SUBCLASSES = 8;
    /** The class of every mm's {@code mmap_lock}: all are initialised in {@code mm_init()}. */
    public static final String MMAP_LOCK = "&mm->mmap_lock";

    private final Engine engine;
    private boolean enabled;

    /** Looked up by name, never iterated: iteration order plays no part in a run. */
    private final Map<String, LockClass> byName = new HashMap<>();
    private LockClass[] classes = new LockClass[16];
    private int classCount;
    private final List<String> instanceNames = new ArrayList<>();

    /** {@code after[a][b]}: the first time b was taken with a held, or null. */
    private Dependency[][] after = new Dependency[16][16];
    /** The classes taken after each class, in the order first seen, for a deterministic search. */
    private int[][] successors = new int[16][];
    private int[] successorCount = new int[16];
    private boolean[] recursionReported = new boolean[16];

    private HeldLocks[] held = new HeldLocks[16];

    // scratch for the breadth-first search, reused
    private int[] queue = new int[16];
    private int[] parent = new int[16];
    private int[] seenAt = new int[16];
    private int searchEpoch;

    /** A dependency edge and who created it, for the report. */
    private record Dependency(LockClass from, LockClass to, String task, List<String> backtrace) {
    }

    /** @param enabled false turns validation off, for benchmarks */
    public LockValidator(Engine engine, boolean enabled) {
        this.engine = engine;
        this.enabled = enabled;
    }

    // ---- configuration ----------------------------------------------------------------

    public boolean enabled() {
        return enabled;
    }

    /** Turns validation off (for benchmarks) or on; set it before the run, not during it. */
    public void setEnabled(boolean on) {
        this.enabled = on;
    }

    /** The class of locks initialised at one place, e.g. {@code "&mm->mmap_lock"}. */
    public LockClass lockClass(String name) {
        return lockClass(name, null, null);
    }

    /** The one class of every mm's {@code mmap_lock}. */
    public LockClass mmapLockClass() {
        return lockClass(MMAP_LOCK);
    }

    /**
     * A class whose instances are numbers, not registered locks (page locks: the pfn),
     * printed as {@code prefix + number}.
     */
    public LockClass numberedLockClass(String name, String instancePrefix) {
        return lockClass(name, instancePrefix, null);
    }

    /**
     * The class {@code c} takes under a nesting annotation ({@code down_read_nested},
     * {@code mutex_lock_nested}): a class of its own, as lockdep makes one per subclass.
     */
    public LockClass nested(LockClass c, int subclass) {
        if (subclass < 0 || subclass >= MAX_SUBCLASSES) {
            throw new IllegalArgumentException("subclass must be 0.." + (MAX_SUBCLASSES - 1) + ", was " + subclass);
        }
        return subclass == 0 ? c : lockClass(c.base.name() + "/" + subclass, c.instancePrefix, c.base);
    }

    private LockClass lockClass(String name, String prefix, LockClass base) {
        LockClass c = byName.get(name);
        if (c != null) {
            return c;
        }
        if (classCount == classes.length) {
            growClasses(classCount * 2);
        }
        c = new LockClass(name, classCount, prefix, base);
        classes[classCount++] = c;
        byName.put(name, c);
        return c;
    }

    private void growClasses(int n) {
        classes = Arrays.copyOf(classes, n);
        Dependency[][] bigger = new Dependency[n][n];
        for (int i = 0; i < after.length; i++) {
            System.arraycopy(after[i], 0, bigger[i], 0, after[i].length);
        }
        after = bigger;
        successors = Arrays.copyOf(successors, n);
        successorCount = Arrays.copyOf(successorCount, n);
        recursionReported = Arrays.copyOf(recursionReported, n);
        queue = new int[n];
        parent = new int[n];
        seenAt = Arrays.copyOf(seenAt, n);
    }

    /** Registers one lock (an rwsem, a mutex) and returns its instance id, for the reports. */
    public int newInstance(String name) {
        instanceNames.add(name);
        return instanceNames.size() - 1;
    }

    // ---- the lock operations --------------------------------------------------------

    /**
     * {@code lock_acquire()}: {@code t} is about to take (or wait for) the lock. Called before
     * the task waits, as lockdep is, so the lock is on the stack while the task sleeps.
     */
    public void acquire(Task t, LockClass c, int instance, boolean read) {
        if (!enabled) {
            return;
        }
        HeldLocks h = heldOf(t);
        if (h.depth != 0) {
            check(t, h, c, instance);
        }
        h.push(c, instance, read);
    }

    /** {@code lock_acquire(..., trylock=1, ...)}: a trylock cannot deadlock, so no new dependencies. */
    public void acquireTrylock(Task t, LockClass c, int instance, boolean read) {
        if (enabled) {
            heldOf(t).push(c, instance, read);
        }
    }

    /**
     * {@code lock_release()}; releasing a lock the task does not hold warns, as lockdep does.
     * {@code c} may be the lock's base class: an acquisition under a nesting subclass matches.
     */
    public void release(Task t, LockClass c, int instance) {
        if (!enabled) {
            return;
        }
        HeldLocks h = t.id() < held.length ? held[t.id()] : null;
        int i = h == null ? -1 : h.find(c, instance);
        if (i < 0) {
            engine.report(FindingKind.WARN, "bad unlock balance detected: " + t.name() + " is trying to release "
                    + c + " (instance " + instanceName(c, instance) + ") but there are no more locks to release", t);
            return;
        }
        h.remove(i);
    }

    /** {@code lock_downgrade()}: the held write lock becomes a read lock. */
    public void downgrade(Task t, LockClass c, int instance) {
        if (!enabled) {
            return;
        }
        HeldLocks h = t.id() < held.length ? held[t.id()] : null;
        int i = h == null ? -1 : h.find(c, instance);
        if (i >= 0) {
            h.read[i] = true;
        }
    }

    /**
     * {@code __might_fault()} -> {@code might_lock_read(&current->mm->mmap_lock)}: checks and
     * records the dependencies an acquire and release of the task's own mmap_lock would,
     * without taking it, so holding a lock across a user access is reported though the
     * access did not fault this time.
     */
    public void mightFault(Task t, RwSemaphore mmapLock) {
        mightFault(t, mmapLock.lockClass(), mmapLock.instance());
    }

    /** {@link #mightFault(Task, RwSemaphore)} by class and instance id. */
    public void mightFault(Task t, LockClass mmapLockClass, int instance) {
        if (!enabled) {
            return;
        }
        HeldLocks h = t.id() < held.length ? held[t.id()] : null;
        if (h != null && h.depth != 0) {
            check(t, h, mmapLockClass, instance);
        }
    }

    // ---- queries ----------------------------------------------------------------------

    /** {@code lockdep_is_held()} for a class: whether the task holds (or waits for) any lock of it. */
    public boolean holds(Task t, LockClass c) {
        HeldLocks h = t.id() < held.length ? held[t.id()] : null;
        if (h != null) {
            for (int i = 0; i < h.depth; i++) {
                if (h.classes[i] == c) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code lockdep_depth}: how many locks the task holds or waits for. */
    public int depth(Task t) {
        HeldLocks h = t.id() < held.length ? held[t.id()] : null;
        return h == null ? 0 : h.depth;
    }

    /** Whether the dependency {@code held -> taken} was recorded: taken while held was held. */
    public boolean dependsOn(LockClass held, LockClass taken) {
        return held.id() < after.length && after[held.id()][taken.id()] != null;
    }

    /**
     * {@code debug_check_no_locks_held()}: a task about to return to user space or exit
     * must hold nothing.
     */
    public void checkNoLocksHeld(Task t) {
        HeldLocks h = t.id() < held.length ? held[t.id()] : null;
        if (enabled && h != null && h.depth != 0) {
            engine.report(FindingKind.WARN, "lock held when returning to user space: " + t.name() + " holds "
                    + describe(h.classes[h.depth - 1], h.instances[h.depth - 1]), t);
        }
    }

    // ---- validation -------------------------------------------------------------------

    private HeldLocks heldOf(Task t) {
        int id = t.id();
        if (id >= held.length) {
            held = Arrays.copyOf(held, Math.max(id + 1, held.length * 2));
        }
        HeldLocks h = held[id];
        if (h == null) {
            h = new HeldLocks();
            held[id] = h;
        }
        return h;
    }

    /** {@code validate_chain()}: {@code check_deadlock()} then {@code check_prevs_add()}. */
    private void check(Task t, HeldLocks h, LockClass next, int instance) {
        for (int i = 0; i < h.depth; i++) {
            LockClass prev = h.classes[i];
            if (prev == next) {
                recursive(t, next, h.instances[i], instance);
            } else if (after[prev.id()][next.id()] == null) {
                addDependency(t, prev, next, h.instances[i], instance);
            }
        }
    }

    /** {@code print_deadlock_bug()}: the same class twice, without a nesting annotation. */
    private void recursive(Task t, LockClass c, int heldInstance, int instance) {
        if (recursionReported[c.id()]) {
            return;
        }
        recursionReported[c.id()] = true;
        engine.report(FindingKind.LOCK_INVERSION, "possible recursive locking detected: " + t.name()
                + " is trying to acquire " + describe(c, instance) + " but already holds " + describe(c, heldInstance), t);
    }

    /** {@code check_prev_add()}: records prev -> next, reporting it if next ->* prev already exists. */
    private void addDependency(Task t, LockClass prev, LockClass next, int prevInstance, int nextInstance) {
        int[] chain = path(next.id(), prev.id());
        after[prev.id()][next.id()] = new Dependency(prev, next, t.name(), t.backtrace());
        int from = prev.id();
        if (successors[from] == null) {
            successors[from] = new int[4];
        } else if (successorCount[from] == successors[from].length) {
            successors[from] = Arrays.copyOf(successors[from], successorCount[from] * 2);
        }
        successors[from][successorCount[from]++] = next.id();
        if (chain != null) {
            // the edge stays recorded, so this pair is never checked, nor reported, again
            engine.report(FindingKind.LOCK_INVERSION, circularMessage(t, prev, next, prevInstance, nextInstance,
                    chain), t);
        }
    }

    /** {@code print_circular_bug()}, on one line. */
    private String circularMessage(Task t, LockClass prev, LockClass next, int prevInstance, int nextInstance,
            int[] chain) {
        StringBuilder sb = new StringBuilder("possible circular locking dependency detected: ").append(t.name())
                .append(" is trying to acquire ").append(describe(next, nextInstance))
                .append(" but already holds ").append(describe(prev, prevInstance))
                .append("; existing dependency chain: ");
        for (int i = 0; i < chain.length; i++) {
            sb.append(i == 0 ? "" : " -> ").append(classes[chain[i]]);
        }
        for (int i = 0; i + 1 < chain.length; i++) {
            Dependency d = after[chain[i]][chain[i + 1]];
            sb.append("; ").append(d.from()).append(" -> ").append(d.to()).append(" first taken by ")
                    .append(d.task()).append(" at ").append(d.backtrace());
        }
        return sb.toString();
    }

    /** Breadth-first search of the dependency graph: the shortest chain from -> ... -> to, or null. */
    private int[] path(int from, int to) {
        int epoch = ++searchEpoch;
        int head = 0;
        int tail = 0;
        queue[tail++] = from;
        seenAt[from] = epoch;
        parent[from] = -1;
        while (head < tail) {
            int c = queue[head++];
            if (c == to) {
                int n = 0;
                for (int k = c; k != -1; k = parent[k]) {
                    n++;
                }
                int[] chain = new int[n];
                for (int k = c; k != -1; k = parent[k]) {
                    chain[--n] = k;
                }
                return chain;
            }
            for (int i = 0; i < successorCount[c]; i++) {
                int s = successors[c][i];
                if (seenAt[s] != epoch) {
                    seenAt[s] = epoch;
                    parent[s] = c;
                    queue[tail++] = s;
                }
            }
        }
        return null;
    }

    private String describe(LockClass c, int instance) {
        return c + " (instance " + instanceName(c, instance) + ")";
    }

    private String instanceName(LockClass c, int instance) {
        if (c.instancePrefix != null) {
            return c.instancePrefix + instance;
        }
        return instance >= 0 && instance < instanceNames.size() ? instanceNames.get(instance) : "#" + instance;
    }
}
