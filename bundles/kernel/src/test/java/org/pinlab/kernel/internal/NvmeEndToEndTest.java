package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.driver.nvme.internal.NvmeType;
import org.pinlab.fs.ext4.internal.Ext4Type;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;
import org.pinlab.kernel.internal.programs.MixedWorkload;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Schedulers;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActive;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;
import org.pinlab.strategies.internal.writeback.SnapshotPinnedPages;

/**
 * Seed 002's O_DIRECT remark on the real bundles: the nvme driver reading with O_DIRECT into
 * a MAP_SHARED ext4 mapping hits the ext4 writeback BUG that RDMA hits, through a pin that
 * lasts one bio. First as a busy machine under random schedules, then scripted step by step.
 */
class NvmeEndToEndTest {

    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    /** Seeds tried per behaviour: each run is 5 ms of simulated time. */
    private static final int SEEDS = 40;
    private static final int FRAMES = 1024;
    private static final int FILE_PAGES = 128;
    /** With the file cached, enough anonymous memory to keep free memory below the low watermark. */
    private static final int HOG_PAGES = 890;

    private static Picks fixes() {
        return new Picks().release(new TrackedReleaseStrategy()).reclaim(new KeepPinnedPagesActive())
                .writeback(new SnapshotPinnedPages());
    }

    /**
     * A 4 MiB machine: a process stores to, loads from, fsyncs and truncates a 128-page ext4
     * file it maps shared, and reads into the same mapping with synchronous O_DIRECT reads of
     * 128 KiB (queue depth 1: one short pin at a time); a hog keeps the machine in reclaim.
     */
    private static Machine busy(long seed, Picks picks) {
        Machine m = Machine.builder().seed(seed).scheduler(Schedulers.random(seed))
                .memory(MemoryLayout.normalOnly(FRAMES)).allocator(new BuddyAllocatorService())
                .pinTracker(Trackers.merged()).choices(picks)
                .engine(EngineConfig.DEFAULT.withRaceWindow(1_000)).build();
        Kernel k = MachineKernel.of(m);
        Mount mount = k.mounts.mount("/mnt", new Ext4Type(), Map.of(), 4096);
        Inode file = k.filemap.createFile(mount, FILE_PAGES);
        Mm mm = k.mmap.newMm("db");
        Vma map = k.mmap.mmap(mm, FILE_PAGES, true, true, file, 0);
        m.engine().spawn("db", MixedWorkload.writer(k.programs, mm, map, 50 * US), 0);
        m.engine().spawn("hog", MixedWorkload.hog(k.programs, k.mmap.newMm("hog"), HOG_PAGES), 0);
        k.devices.attachDevice(new NvmeType(), "nvme0n1", Map.of("queue-depth", "1", "read-fraction", "1"),
                List.of(k.userBuffer("dio0", mm, map, 0, FILE_PAGES)));
        m.runUntil(5 * MS);
        m.finish();
        return m;
    }

    private static boolean hitsWritepageBug(Machine m) {
        return m.findings().stream().anyMatch(f -> f.kind() == FindingKind.BUG
                && f.message().contains("mpage_prepare_extent_to_map"));
    }

    @Test
    void legacyOdirectReadsIntoASharedExt4MappingHitTheWritepageBugOnSomeSeeds() {
        List<Long> hit = new ArrayList<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            Machine m = busy(seed, new Picks());
            Kernel k = MachineKernel.of(m);
            assertTrue(k.vm.vmstat(Vmstat.DMA_WRITE_PAGES) > 0, "seed " + seed + ": the disk wrote user memory");
            assertEquals(0, k.pins.accounting().pinsAcquired(), "seed " + seed + ": before v6.3 O_DIRECT took plain references");
            for (Finding f : m.findings()) {
                if (f.kind() == FindingKind.BUG) {
                    assertEquals("mpage_prepare_extent_to_map", f.backtrace().get(0), "seed " + seed + ": " + f);
                }
            }
            if (hitsWritepageBug(m)) {
                hit.add(seed);
                assertTrue(m.engine().count(FindingKind.DIRTY_WITHOUT_MKWRITE) > 0,
                        "seed " + seed + ": the BUG follows a page dirtied behind ext4's back");
            }
        }
        // when written, 6 of the 40 seeds crashed within 5 ms: the one-bio pin makes the race rare, not absent
        assertFalse(hit.isEmpty(), "no seed of " + SEEDS + " reached the ext4 writeback BUG");
    }

    @Test
    void trackedPinsWithKeepPrivateAndSnapshotSurviveTheSameSeedsWithoutLeaks() {
        long kept = 0;
        long snapshots = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            Machine m = busy(seed, fixes());
            Kernel k = MachineKernel.of(m);
            String why = "seed " + seed + ": " + m.findings();
            assertFalse(m.engine().stopped(), why);
            assertEquals(0, m.engine().count(FindingKind.BUG), why);
            assertEquals(0, m.engine().count(FindingKind.LOST_WRITE), why);
            assertEquals(0, m.engine().count(FindingKind.PIN_LEAK), why);
            assertEquals(0, m.engine().count(FindingKind.DIRTY_WITHOUT_MKWRITE), why);
            assertTrue(k.pins.accounting().pinsAcquired() > 0, "seed " + seed + ": O_DIRECT pinned with FOLL_PIN");
            assertEquals(k.pins.accounting().pinsAcquired(), k.pins.accounting().pinsReleased(), "seed " + seed
                    + ": nr_foll_pin_acquired == nr_foll_pin_released after finish");
            assertTrue(k.pins.accounting().outstanding().isEmpty(), why);
            kept += k.vm.vmstat(Vmstat.RECLAIM_KEPT_PINNED);
            snapshots += k.vm.vmstat(Vmstat.WRITEBACK_SNAPSHOTS);
        }
        assertTrue(kept > 0, "reclaim met a pinned page and kept it with its buffers");
        assertTrue(snapshots > 0, "writeback met a pinned dirty page and wrote a snapshot");
    }

    /** A 16 MiB machine with merged pin accounting and the given choices, scheduled earliest first. */
    private static Machine machine(Picks picks) {
        return Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService())
                .pinTracker(Trackers.merged()).choices(picks)
                .engine(EngineConfig.DEFAULT.withRaceWindow(1_000)).build();
    }

    /**
     * One 4 KiB {@code pread(2)} on an O_DIRECT file descriptor into page 0 of the shared ext4
     * mapping. An fsync and one reclaim pass fall inside the bio's 80 us on the disk, and the flusher
     * runs after it completes. The timeline samples page 0 at 5, 35, 60 and 200 us.
     */
    private static Machine oneRead(Picks picks, List<String> timeline) {
        Machine m = machine(picks);
        Kernel k = MachineKernel.of(m);
        Mount mount = k.mounts.mount("/mnt", new Ext4Type(), Map.of(), 1024);
        Inode file = k.filemap.createFile(mount, 1);
        Mm mm = k.mmap.newMm("dd");
        Vma map = k.mmap.mmap(mm, 1, true, true, file, 0);
        k.devices.attachDevice(new NvmeType(), "nvme0n1", Map.of("ios", "1", "read-fraction", "1", "bio-pages", "1"),
                List.of(k.userBuffer("dio0", mm, map, 0, 1)));
        m.engine().spawn("fsync", new Script("fsync").at(10 * US).call(() -> new Fsync(k.fsWriteback, file)), 0);
        m.engine().spawn("kswapd", new Script("reclaim").at(40 * US).call(() -> new ShrinkNode(k.vmscan, 1, true)), 0);
        m.engine().spawn("dirty-threshold", new Script("flush").at(300 * US).then(0, t -> k.wb.wakeFlusher()), 0);
        for (long at : new long[] {5 * US, 35 * US, 60 * US, 200 * US}) {
            m.runUntil(at);
            int pfn = file.mapping.lookup(0);
            timeline.add(at / US + "us " + PageFlags.describe(k.frames.flags(pfn)) + " refs=" + k.frames.refcount(pfn));
        }
        m.runUntil(5 * MS);
        m.finish();
        return m;
    }

    @Test
    void legacyScriptedReadIsWrittenBackAndStrippedWhileOnTheDiskThenCrashesExt4() {
        List<String> timeline = new ArrayList<>();
        Machine m = oneRead(new Picks(), timeline);

        assertTrue(timeline.get(0).contains("dirty") && timeline.get(0).contains("private"),
                "the FOLL_WRITE pin went through page_mkwrite: " + timeline);
        assertFalse(timeline.get(1).contains("dirty"), "fsync cleaned the page under the bio: " + timeline);
        assertFalse(timeline.get(2).contains("private"), "reclaim took the buffers and backed off: " + timeline);
        assertTrue(timeline.get(2).contains("refs=2"), "page cache + the bio's reference keep it: " + timeline);
        assertTrue(timeline.get(3).contains("dirty") && !timeline.get(3).contains("private"),
                "bio_release_pages dirtied a page without buffers: " + timeline);
        assertEquals(1, m.engine().count(FindingKind.DIRTY_WITHOUT_MKWRITE), m.findings().toString());
        Finding bug = m.findings().get(m.findings().size() - 1);
        assertEquals(FindingKind.BUG, bug.kind(), m.findings().toString());
        assertTrue(bug.message().contains("mpage_prepare_extent_to_map"), bug.message());
    }

    @Test
    void fixedScriptedReadKeepsTheBuffersAndReachesTheDisk() {
        List<String> timeline = new ArrayList<>();
        Machine m = oneRead(fixes(), timeline);
        Kernel k = MachineKernel.of(m);

        assertTrue(m.findings().isEmpty(), m.findings().toString());
        assertTrue(timeline.get(1).contains("dirty"), "writeback wrote a snapshot and left the page dirty: "
                + timeline);
        assertTrue(timeline.get(2).contains("private"), "reclaim kept the pinned page's buffers: " + timeline);
        assertEquals(1, k.vm.vmstat(Vmstat.WRITEBACK_SNAPSHOTS));
        // shrink_folio_list (v6.4) asks after try_to_unmap: the pinned page is unmapped first, so
        // no young PTE keeps it active and every later scan finds it again, and keeps it again
        assertTrue(k.vm.vmstat(Vmstat.RECLAIM_KEPT_PINNED) >= 1);
        Inode file = k.inodes.all().get(0);
        assertTrue(k.oracles.latest(file, 0) != 0, "the disk wrote the page");
        assertEquals(k.oracles.latest(file, 0), k.oracles.durable(file, 0), "the O_DIRECT data is on disk");
        assertEquals(1, k.pins.accounting().pinsAcquired());
        assertEquals(1, k.pins.accounting().pinsReleased());
    }

    /**
     * One 4 KiB O_DIRECT {@code pwrite(2)} from page 0 of a shared ext4 mapping the process has
     * just loaded from: the page is present, read-only and clean. The bio pins it through
     * {@code pin_user_pages_fast} ({@code bio_iov_iter_get_pages} -> {@code iov_iter_extract_pages},
     * v6.12): the lockless walk takes the present PTE as it is, without FOLL_TOUCH, so the PTE
     * stays old, and without a fault.
     */
    @Test
    void anOdirectWriteFromAPresentPagePinsItThroughGupFastAndLeavesThePteOld() {
        Machine m = machine(new Picks().release(new TrackedReleaseStrategy()));
        Kernel k = MachineKernel.of(m);
        Mount mount = k.mounts.mount("/mnt", new Ext4Type(), Map.of(), 1024);
        Inode file = k.filemap.createFile(mount, 1);
        Mm mm = k.mmap.newMm("dd");
        Vma map = k.mmap.mmap(mm, 1, true, true, file, 0);
        m.engine().spawn("load", new Script("load").call(() -> new UserAccess(k.memory, mm, map.startVpn(), false))
                .then(0, t -> k.rmap.clearYoungPtes(file.mapping.lookup(0))), 0);
        m.runUntil(10 * US);
        int pte = map.pte[map.slot(map.startVpn())];
        assertTrue((pte & Vma.PTE_PRESENT) != 0 && (pte & Vma.PTE_WRITE) == 0 && (pte & Vma.PTE_YOUNG) == 0,
                "loaded, read-only, old: " + pte);
        long faults = k.vm.vmstat(Vmstat.PGFAULT);

        k.devices.attachDevice(new NvmeType(), "nvme0n1", Map.of("ios", "1", "read-fraction", "0", "bio-pages", "1"),
                List.of(k.userBuffer("dio0", mm, map, 0, 1)));
        m.runUntil(15 * US);
        List<PinRecord> pins = k.pins.accounting().outstanding();
        assertEquals(1, pins.size(), "the bio holds its page");
        assertEquals(Foll.PIN | Foll.FAST, pins.get(0).foll(), Foll.describe(pins.get(0).foll()));
        assertEquals(0, map.pte[map.slot(map.startVpn())] & Vma.PTE_YOUNG, "gup_fast does not touch the PTE");
        assertEquals(faults, k.vm.vmstat(Vmstat.PGFAULT), "nor fault");
        m.runUntil(5 * MS);
        m.finish();
        assertTrue(k.pins.accounting().outstanding().isEmpty(), "bio_release_pages unpinned it");
        assertTrue(m.findings().isEmpty(), m.findings().toString());
    }
}
