package org.pinlab.kernel.internal.locking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class MutexTest {

    private final Engine e = new Engine(1, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
    private final LockValidator lockdep = new LockValidator(e, true);
    private final Mutex mutex = new Mutex(e, lockdep, lockdep.lockClass("&inode->i_mutex"), "inode7->i_mutex", 20);
    private final List<String> log = new ArrayList<>();
    private int inside;
    private int mostInside;

    private Proc critical(String name, long holdNs) {
        return Script.of(name,
                t -> t.call(mutex.lock()),
                t -> {
                    log.add(name + "@" + t.engine().now());
                    mostInside = Math.max(mostInside, ++inside);
                    return t.next(holdNs);
                },
                t -> {
                    inside--;
                    mutex.unlock(t);
                    return t.ret();
                });
    }

    @Test
    void ownerExcludesEveryoneAndWaitersAreServedInArrivalOrder() {
        e.spawn("owner", critical("owner", 1000), 0);
        e.spawn("c", critical("c", 100), 30);
        e.spawn("a", critical("a", 100), 10);
        e.spawn("b", critical("b", 100), 20);
        e.runUntil(500);
        assertEquals("owner", mutex.owner().name());
        e.run();
        assertEquals(List.of("owner@20", "a@1040", "b@1160", "c@1280"), log);
        assertEquals(1, mostInside);
        assertFalse(mutex.isLocked());
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void trylockFailsWhileOwnedAndTakesAFreeMutex() {
        boolean[] results = new boolean[2];
        e.spawn("owner", critical("owner", 1000), 0);
        e.spawn("trier", Script.of("trier",
                t -> t.next(100),
                t -> {
                    results[0] = mutex.trylock(t);
                    return t.next(2000);
                },
                t -> {
                    results[1] = mutex.trylock(t);
                    mutex.unlock(t);
                    return t.ret();
                }), 0);
        e.run();
        assertFalse(results[0]);
        assertTrue(results[1]);
        assertNull(mutex.owner());
        assertTrue(e.findings().isEmpty(), e.findings().toString());
    }

    @Test
    void unlockByANonOwnerWarns() {
        Task[] owner = new Task[1];
        e.spawn("owner", Script.of("owner", t -> {
            owner[0] = t;
            return t.call(mutex.lock());
        }, t -> t.next(1000), t -> {
            mutex.unlock(t);
            return t.ret();
        }), 0);
        e.spawn("thief", Script.of("thief", t -> t.next(100), t -> {
            mutex.unlock(t);
            return t.ret();
        }), 0);
        e.run();
        assertTrue(e.count(FindingKind.WARN) >= 1);
        assertTrue(e.findings().get(0).message().contains("owner owns it"), e.findings().get(0).message());
    }

    @Test
    void lockingAMutexOneAlreadyOwnsIsRecursiveLockingAndADeadlock() {
        e.spawn("self", Script.of("self", t -> t.call(mutex.lock()), t -> t.call(mutex.lock())), 0);
        e.run();
        assertEquals(1, e.count(FindingKind.LOCK_INVERSION));
        assertTrue(e.findings().get(0).message().startsWith("possible recursive locking detected"));
        assertEquals(1, e.count(FindingKind.DEADLOCK));
        assertTrue(e.findings().get(1).message().startsWith("circular wait"), e.findings().get(1).message());
    }
}
