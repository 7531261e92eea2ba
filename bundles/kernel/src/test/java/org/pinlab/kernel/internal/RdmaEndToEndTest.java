package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.driver.rdma.internal.RdmaType;
import org.pinlab.fs.ext4.internal.Ext4Type;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.programs.MixedWorkload;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Schedulers;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActive;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;
import org.pinlab.strategies.internal.writeback.SnapshotPinnedPages;

/**
 * The RDMA driver bundle on the ext4 bundle, nothing scripted: an application registers its
 * shared file mapping as a memory region and keeps storing to it, remote peers DMA into it,
 * and an anonymous-memory hog drives reclaim. Random schedules find seed 001's BUG under the
 * legacy kernel; the same seeds stay clean under tracked pins, keep-private reclaim and
 * snapshot writeback, and with on-demand paging.
 */
class RdmaEndToEndTest {

    private static final long MS = 1_000_000;
    /** Seeds searched: every test below runs the same ones. */
    private static final int SEEDS = 100;
    private static final int FRAMES = 1024;
    private static final int FILE_PAGES = 64;
    /** Anonymous pages per hog burst: with the file it leaves free memory around the watermarks. */
    private static final int HOG_PAGES = 900;
    private static final long RUN = 30 * MS;
    /** dirty_writeback_interval and dirty_expire_interval, shrunk so a 30 ms run sees many writebacks. */
    private static final long WRITEBACK = 2 * MS;
    /** Short-lived registrations, re-registered after a failure (a truncate under a pin gives -EFAULT). */
    private static final Map<String, String> MR = Map.of("lifetime", "5ms", "pause", "1ms", "dma-gap", "50us",
            "batch", "16", "retry-after", "1ms");

    private static Picks legacy() {
        return new Picks();
    }

    private static Picks trackedKeepPrivateSnapshot() {
        return new Picks().release(new TrackedReleaseStrategy()).reclaim(new KeepPinnedPagesActive())
                .writeback(new SnapshotPinnedPages());
    }

    private static Map<String, String> odp() {
        Map<String, String> p = new HashMap<>(MR);
        p.put("odp", "true");
        return p;
    }

    /** A machine with the workload installed and the NIC attached, not yet run. */
    private static Machine machine(long seed, Picks picks, Map<String, String> rdma, long memlockPages) {
        Machine m = Machine.builder().seed(seed).scheduler(Schedulers.random(seed))
                .memory(MemoryLayout.normalOnly(FRAMES)).allocator(new BuddyAllocatorService())
                .pinTracker(Trackers.merged()).choices(picks)
                .costs(CostTable.defaults().with(Cost.WRITEBACK_INTERVAL, WRITEBACK).with(Cost.DIRTY_EXPIRE, WRITEBACK))
                .engine(EngineConfig.DEFAULT.withRaceWindow(1_000)).build();
        Kernel k = MachineKernel.of(m);
        Mount mount = k.mounts.mount("/mnt", new Ext4Type(), Map.of(), 4096);
        Inode file = k.filemap.createFile(mount, FILE_PAGES);
        Mm app = k.mmap.newMm("app");
        app.memlockLimit(memlockPages);
        Vma map = k.mmap.mmap(app, FILE_PAGES, true, true, file, 0);
        m.engine().spawn("writer", MixedWorkload.writer(k.programs, app, map, MS), 0);
        m.engine().spawn("hog", MixedWorkload.hog(k.programs, k.mmap.newMm("hog"), HOG_PAGES), 0);
        k.devices.attachDevice(new RdmaType(), "mlx5_0", rdma, List.of(k.userBuffer("mr0", app, map, 0, FILE_PAGES)));
        return m;
    }

    /** Runs a seed to the end of the workload, then shuts down cleanly (sync and the end-of-run oracles). */
    private static Machine run(long seed, Picks picks, Map<String, String> rdma) {
        Machine m = machine(seed, picks, rdma, Long.MAX_VALUE);
        m.runUntil(RUN);
        m.finish();
        return m;
    }

    private static boolean ext4WritepageBug(Machine m) {
        for (Finding f : m.findings()) {
            if (f.kind() == FindingKind.BUG && f.message().contains("mpage_prepare_extent_to_map")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void legacyRdmaOnExt4UnderMemoryPressureHitsTheSeed001BugOnSomeRandomSchedules() {
        List<Long> hits = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Machine m = run(seed, legacy(), MR);
            if (ext4WritepageBug(m)) {
                hits.add(seed);
                // the page was dirtied behind ext4's back (set_page_dirty_lock at ib_umem_release)
                // after reclaim stripped its buffers
                assertTrue(m.engine().count(FindingKind.DIRTY_WITHOUT_MKWRITE) > 0, "seed " + seed);
                assertTrue(MachineKernel.of(m).vm.vmstat(Vmstat.RECLAIM_BUFFERS_STRIPPED) > 0, "seed " + seed);
            }
        }
        assertFalse(hits.isEmpty(), "no seed in 1.." + SEEDS + " reached the ext4 writeback BUG");
    }

    @Test
    void theSameSeedsUnderTrackedPinsKeepPrivateReclaimAndSnapshotWritebackNeitherCrashNorLoseWrites() {
        long pinned = 0;
        long keptByReclaim = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Machine m = run(seed, trackedKeepPrivateSnapshot(), MR);
            Kernel k = MachineKernel.of(m);
            assertEquals(0, m.engine().count(FindingKind.BUG), "seed " + seed + ": " + m.findings());
            assertEquals(0, m.engine().count(FindingKind.LOST_WRITE), "seed " + seed + ": " + m.findings());
            assertEquals(0, m.engine().count(FindingKind.FSYNC_LIED), "seed " + seed + ": " + m.findings());
            assertEquals(0, m.engine().count(FindingKind.PIN_LEAK), "seed " + seed + ": " + m.findings());
            assertTrue(k.pins.accounting().outstanding().isEmpty(), "seed " + seed);
            assertEquals(k.vm.vmstat(Vmstat.NR_FOLL_PIN_ACQUIRED), k.vm.vmstat(Vmstat.NR_FOLL_PIN_RELEASED), "seed " + seed);
            pinned += k.vm.vmstat(Vmstat.NR_FOLL_PIN_ACQUIRED);
            keptByReclaim += k.vm.vmstat(Vmstat.RECLAIM_KEPT_PINNED);
        }
        assertTrue(pinned > 0, "the NIC pinned with FOLL_PIN");
        assertTrue(keptByReclaim > 0, "reclaim met pinned pages and kept their buffers");
    }

    @Test
    void onDemandPagingUnderTheLegacyKernelPinsNothingAndNeverHitsTheBug() {
        long dmaWrites = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Machine m = run(seed, legacy(), odp());
            Kernel k = MachineKernel.of(m);
            assertEquals(0, m.engine().count(FindingKind.BUG), "seed " + seed + ": " + m.findings());
            assertEquals(0, m.engine().count(FindingKind.LOST_WRITE), "seed " + seed + ": " + m.findings());
            assertEquals(0, m.engine().count(FindingKind.DIRTY_WITHOUT_MKWRITE), "seed " + seed + ": " + m.findings());
            assertEquals(0, m.engine().count(FindingKind.USE_AFTER_FREE), "seed " + seed + ": " + m.findings());
            assertEquals(0, k.pins.accounting().pinsAcquired(), "seed " + seed);
            assertEquals(0, k.vm.vmstat(Vmstat.RECLAIM_BACKOFF_PINNED), "nothing holds a page against reclaim");
            dmaWrites += k.vm.vmstat(Vmstat.DMA_WRITE_PAGES);
        }
        assertTrue(dmaWrites > 0, "the NIC wrote through its faulted-in translations");
    }

    @Test
    void aMemlockLimitTooSmallForTheRegionLeavesADmesgLineAndNoPins() {
        Machine m = machine(1, legacy(), Map.of(), FILE_PAGES / 2);
        Kernel k = MachineKernel.of(m);
        for (long until = 5 * MS; until <= RUN; until += 5 * MS) {
            m.runUntil(until);
            assertTrue(k.pins.accounting().outstanding().isEmpty(), "nothing grabbed by " + until + " ns");
        }
        List<String> refused = k.printk.dmesg().stream().filter(l -> l.contains("RLIMIT_MEMLOCK")).toList();
        assertEquals(1, refused.size(), k.printk.dmesg().toString());
        assertTrue(refused.get(0).contains("mlx5_0: ib_umem_get: ibv_reg_mr of buffer mr0"), refused.get(0));
        assertTrue(refused.get(0).contains("locking 64 pages would exceed RLIMIT_MEMLOCK"), refused.get(0));
        assertTrue(refused.get(0).contains("-ENOMEM"), refused.get(0));
        assertEquals(0, k.mmap.mms().get(0).pinnedVm());
        assertEquals(0, k.vm.vmstat(Vmstat.DMA_WRITE_PAGES) + k.vm.vmstat(Vmstat.DMA_READ_PAGES));
        m.finish();
        assertEquals(0, m.engine().count(FindingKind.BUG), m.findings().toString());
        assertEquals(0, m.engine().count(FindingKind.PIN_LEAK), m.findings().toString());
    }
}
