package org.pinlab.kernel.internal.locking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.sim.Engine;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.Task;

class LockValidatorTest {

    private final Engine e = new Engine(1, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
    private final LockValidator lockdep = new LockValidator(e, true);

    private Mutex mutex(String className, String name) {
        return new Mutex(e, lockdep, lockdep.lockClass(className), name, 20);
    }

    /** Takes {@code first} then {@code second}, then drops both. */
    private static Proc inOrder(String name, Mutex first, Mutex second) {
        return Script.of(name,
                t -> t.call(first.lock()),
                t -> t.call(second.lock()),
                t -> {
                    second.unlock(t);
                    first.unlock(t);
                    return t.ret();
                });
    }

    @Test
    void abbaBetweenTwoClassesIsReportedOnceNamingBoth() {
        Mutex a = mutex("A", "a");
        Mutex b = mutex("B", "b");
        e.spawn("t1", inOrder("t1", a, b), 0);
        e.spawn("t2", inOrder("t2", b, a), 10_000);
        e.spawn("t3", inOrder("t3", b, a), 20_000);
        e.spawn("t4", inOrder("t4", a, b), 30_000);
        e.run();
        assertEquals(1, e.count(FindingKind.LOCK_INVERSION));
        assertEquals(0, e.count(FindingKind.DEADLOCK), "the tasks never overlapped");
        Finding f = e.findings().get(0);
        assertEquals("t2", f.task());
        assertTrue(f.message().startsWith("possible circular locking dependency detected: t2 is trying to acquire "
                + "A (instance a) but already holds B (instance b); existing dependency chain: A -> B"), f.message());
        assertTrue(f.message().contains("A -> B first taken by t1"), f.message());
        assertTrue(f.backtrace().get(0).startsWith("mutex_lock"), f.backtrace().toString());
    }

    @Test
    void aLongerCycleIsReportedWithItsWholeChain() {
        Mutex a = mutex("A", "a");
        Mutex b = mutex("B", "b");
        Mutex c = mutex("C", "c");
        e.spawn("t1", inOrder("t1", a, b), 0);
        e.spawn("t2", inOrder("t2", b, c), 10_000);
        e.spawn("t3", inOrder("t3", c, a), 20_000);
        e.run();
        assertEquals(1, e.count(FindingKind.LOCK_INVERSION));
        assertTrue(e.findings().get(0).message().contains("existing dependency chain: A -> B -> C;"),
                e.findings().get(0).message());
    }

    @Test
    void mightFaultWithNoLocksHeldIsSilent() {
        RwSemaphore mm = new RwSemaphore(e, lockdep, lockdep.mmapLockClass(), "mm1->mmap_lock", 20);
        e.spawn("copy_to_user", Script.of("copy_to_user", t -> {
            lockdep.mightFault(t, mm);
            return t.next(10);
        }, t -> {
            lockdep.mightFault(t, mm);
            return t.ret();
        }), 0);
        e.run();
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void mightFaultRecordsTheDependencyBeforeAnyFaultHappens() {
        // generic_perform_write holds the inode lock and may fault in the user buffer;
        // a page fault holds mmap_lock: the fault path then taking the inode lock is ABBA
        Mutex inode = mutex("&sb->s_type->i_mutex_key", "inode7->i_rwsem");
        RwSemaphore mm = new RwSemaphore(e, lockdep, lockdep.mmapLockClass(), "mm1->mmap_lock", 20);
        e.spawn("write", Script.of("generic_perform_write",
                t -> t.call(inode.lock()),
                t -> {
                    lockdep.mightFault(t, mm);
                    inode.unlock(t);
                    return t.ret();
                }), 0);
        e.spawn("fault", Script.of("filemap_fault",
                t -> t.call(mm.downRead()),
                t -> t.call(inode.lock()),
                t -> {
                    inode.unlock(t);
                    mm.upRead(t);
                    return t.ret();
                }), 10_000);
        e.run();
        assertEquals(1, e.count(FindingKind.LOCK_INVERSION));
        assertTrue(e.findings().get(0).message().contains(
                "existing dependency chain: &sb->s_type->i_mutex_key -> &mm->mmap_lock"), e.findings().get(0).message());
    }

    @Test
    void aNestingSubclassIsNotRecursiveLocking() {
        // dup_mmap: mmap_write_lock(oldmm), then mmap_write_lock_nested(mm, SINGLE_DEPTH_NESTING)
        RwSemaphore oldmm = new RwSemaphore(e, lockdep, lockdep.mmapLockClass(), "mm1->mmap_lock", 20);
        RwSemaphore mm = new RwSemaphore(e, lockdep, lockdep.mmapLockClass(), "mm2->mmap_lock", 20);
        Task[] self = new Task[1];
        e.spawn("fork", Script.of("dup_mmap",
                t -> {
                    self[0] = t;
                    return t.call(oldmm.downWrite());
                },
                t -> t.call(mm.downWriteNested(1)),
                t -> {
                    mm.upWrite(t);
                    oldmm.upWrite(t);
                    return t.ret();
                }), 0);
        e.run();
        assertTrue(e.findings().isEmpty(), e.findings().toString());
        assertEquals(0, lockdep.depth(self[0]), "the release matched the nested acquisition");
        assertTrue(lockdep.dependsOn(lockdep.mmapLockClass(), lockdep.nested(lockdep.mmapLockClass(), 1)));
    }

    @Test
    void allMmapLocksShareOneClass() {
        assertSame(lockdep.mmapLockClass(), lockdep.lockClass("&mm->mmap_lock"));
        RwSemaphore a = new RwSemaphore(e, lockdep, lockdep.mmapLockClass(), "mm1->mmap_lock", 20);
        RwSemaphore b = new RwSemaphore(e, lockdep, lockdep.mmapLockClass(), "mm2->mmap_lock", 20);
        assertSame(a.lockClass(), b.lockClass());
        assertTrue(a.instance() != b.instance());
    }

    @Test
    void aDisabledValidatorReportsNothing() {
        LockValidator off = new LockValidator(e, false);
        Mutex a = new Mutex(e, off, off.lockClass("A"), "a", 20);
        Mutex b = new Mutex(e, off, off.lockClass("B"), "b", 20);
        e.spawn("t1", inOrder("t1", a, b), 0);
        e.spawn("t2", inOrder("t2", b, a), 10_000);
        e.run();
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void releasingALockNotHeldIsABadUnlockBalance() {
        LockClass c = lockdep.lockClass("A");
        e.spawn("t", Script.of("t", t -> {
            lockdep.release(t, c, 0);
            return t.ret();
        }), 0);
        e.run();
        assertEquals(1, e.count(FindingKind.WARN));
        assertTrue(e.findings().get(0).message().startsWith("bad unlock balance detected"));
    }

    @Test
    void locksHeldAtReturnToUserSpaceWarn() {
        Mutex a = mutex("A", "a");
        e.spawn("leaky", Script.of("leaky", t -> t.call(a.lock()), t -> {
            lockdep.checkNoLocksHeld(t);
            return t.ret();
        }), 0);
        e.run();
        assertEquals(1, e.count(FindingKind.WARN));
        assertTrue(e.findings().get(0).message().contains("holds A (instance a)"), e.findings().get(0).message());
    }

    @Test
    void manyClassesGrowTheTablesAndKeepTheirDependencies() {
        LockClass[] c = new LockClass[40];
        for (int i = 0; i < c.length; i++) {
            c[i] = lockdep.lockClass("L" + i);
        }
        e.spawn("chain", Script.of("chain", t -> {
            for (int i = 0; i < c.length; i++) {
                lockdep.acquire(t, c[i], i, false);
            }
            for (int i = c.length - 1; i >= 0; i--) {
                lockdep.release(t, c[i], i);
            }
            lockdep.acquire(t, c[39], 39, false);
            lockdep.acquire(t, c[0], 0, false);
            return t.ret();
        }), 0);
        e.run();
        assertEquals(1, e.count(FindingKind.LOCK_INVERSION));
        assertTrue(e.findings().get(0).message().contains("existing dependency chain: L0 -> L39;"),
                e.findings().get(0).message());
    }
}
