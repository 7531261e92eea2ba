package org.pinlab.kernel.internal.fs.proc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.PagemapReader;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.programs.UserPrograms;
import org.pinlab.sim.Scheduler;
import org.pinlab.sim.Schedulers;

/**
 * Seed 003 on the model kernel: two processes read each other's /proc/PID/pagemap while a
 * thread in each maps and unmaps memory. The old pagemap_read holds the target's mmap_lock
 * across put_user() to its own buffer: lockdep flags it on every schedule, and on some the
 * queued writers close the ABBA cycle. The fixed reader copies out after dropping the lock.
 */
class PagemapReadTest {

    private static final long US = 1_000;
    private static final int SEEDS = 40;
    private static final int HEAP = 32;
    /** Entries per read: two pages of user buffer, so put_user faults again half-way through the walk. */
    private static final int READ_PAGES = 1024;

    /** Two processes with a populated heap each; {@code a} and {@code b} are their mms. */
    private static final class Pair {
        final Machine m;
        final Kernel k;
        final Mm a;
        final Mm b;
        final Vma heapB;

        Pair(Scheduler scheduler, long seed) {
            m = Machine.builder().seed(seed).scheduler(scheduler).memory(MemoryLayout.normalOnly(1024))
                    .allocator(new BuddyAllocatorService()).build();
            k = MachineKernel.of(m);
            a = k.mmap.newMm("a");
            b = k.mmap.newMm("b");
            k.mmap.populateAnon(a, k.mmap.mmap(a, HEAP, false, true, null, 0), false);
            heapB = k.mmap.mmap(b, HEAP, false, true, null, 0);
            k.mmap.populateAnon(b, heapB, false);
        }

        UserPrograms.PagemapLoop reader(Mm own, Mm target, PagemapReader version) {
            UserPrograms.PagemapLoop loop = new UserPrograms.PagemapLoop(k.programs, own, target, READ_PAGES, version,
                    20 * US);
            m.engine().spawn(own.owner() + "/pagemap", loop, 0);
            return loop;
        }

        void mapper(Mm mm) {
            m.engine().spawn(mm.owner() + "/mapper", UserPrograms.mapper(k.programs, mm, 2, 100 * US), 0);
        }
    }

    /** What the entries of b's pagemap must say: b's heap present at its frames, then holes. */
    private static long[] expectedEntries(Pair p) {
        long[] e = new long[READ_PAGES];
        for (int i = 0; i < HEAP; i++) {
            e[i] = PagemapRead.PM_PRESENT | p.heapB.pfn[i];
        }
        return e;
    }

    /** One reader of b's pagemap in a, nothing else in either process: no task ever waits for a lock. */
    private static UserPrograms.PagemapLoop readAlone(Pair p, PagemapReader version) {
        UserPrograms.PagemapLoop reader = p.reader(p.a, p.b, version);
        p.m.runUntil(1_000 * US);
        p.m.finish();
        return reader;
    }

    @Test
    void lockdepFlagsTheOldReaderOnAScheduleThatNeverWaits() {
        Pair p = new Pair(Schedulers.earliestFirst(), 1);
        UserPrograms.PagemapLoop reader = readAlone(p, PagemapReader.OLD);

        assertEquals(1, p.m.engine().count(FindingKind.LOCK_INVERSION), p.m.findings().toString());
        assertEquals(1, p.m.findings().size(), p.m.findings().toString());
        Finding f = p.m.findings().get(0);
        assertEquals("possible recursive locking detected: a/pagemap is trying to acquire &mm->mmap_lock "
                + "(instance mmap_lock(a)) but already holds &mm->mmap_lock (instance mmap_lock(b))", f.message());
        assertEquals(List.of("user_store+0", "pagemap_read+3", "pagemap_loop+1"), f.backtrace().subList(0, 3));
        assertTrue(reader.reads() > 5, "nothing waited: " + reader.reads() + " reads");
        assertArrayEquals(expectedEntries(p), reader.lastRead().entries());
    }

    @Test
    void theFixedReaderReadsTheSameEntriesWithoutHoldingTheTargetsLockAcrossTheCopy() {
        Pair p = new Pair(Schedulers.earliestFirst(), 1);
        UserPrograms.PagemapLoop reader = readAlone(p, PagemapReader.FIXED);

        assertTrue(p.m.findings().isEmpty(), p.m.findings().toString());
        assertTrue(reader.reads() > 5, reader.reads() + " reads");
        assertArrayEquals(expectedEntries(p), reader.lastRead().entries());
        assertFalse(p.k.lockdep.dependsOn(p.k.mmapLockClass, p.k.mmapLockClass));
    }

    @Test
    void oldReadersOfEachOthersPagemapDeadlockBehindQueuedWritersOnSomeSeeds() {
        List<Long> deadlocked = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Pair p = new Pair(Schedulers.random(seed), seed);
            p.reader(p.a, p.b, PagemapReader.OLD);
            p.reader(p.b, p.a, PagemapReader.OLD);
            p.mapper(p.a);
            p.mapper(p.b);
            p.m.runUntil(2_000 * US);
            p.m.finish();
            String why = "seed " + seed + ": " + p.m.findings();
            assertEquals(1, p.m.engine().count(FindingKind.LOCK_INVERSION), why);
            for (Finding f : p.m.findings()) {
                assertTrue(f.kind() == FindingKind.LOCK_INVERSION || f.kind() == FindingKind.DEADLOCK, why);
            }
            if (p.m.engine().count(FindingKind.DEADLOCK) > 0) {
                deadlocked.add(seed);
                Finding d = p.m.findings().get(p.m.findings().size() - 1);
                assertTrue(d.message().startsWith("circular wait: "), why);
                assertTrue(d.message().contains("mmap_lock(a)") && d.message().contains("mmap_lock(b)"), why);
            }
        }
        // when written, 15 of the 40 seeds deadlocked within 2 ms; lockdep flagged all 40
        assertFalse(deadlocked.isEmpty(), "no seed of " + SEEDS + " deadlocked");
        assertTrue(deadlocked.size() < SEEDS, "lockdep alone flagged some seeds: " + deadlocked);
    }

    @Test
    void fixedReadersOfEachOthersPagemapNeverDeadlockOnTheSameSeeds() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Pair p = new Pair(Schedulers.random(seed), seed);
            UserPrograms.PagemapLoop ra = p.reader(p.a, p.b, PagemapReader.FIXED);
            UserPrograms.PagemapLoop rb = p.reader(p.b, p.a, PagemapReader.FIXED);
            p.mapper(p.a);
            p.mapper(p.b);
            p.m.runUntil(2_000 * US);
            p.m.finish();
            assertTrue(p.m.findings().isEmpty(), "seed " + seed + ": " + p.m.findings());
            assertTrue(ra.reads() > 0 && rb.reads() > 0, "seed " + seed);
        }
    }
}
