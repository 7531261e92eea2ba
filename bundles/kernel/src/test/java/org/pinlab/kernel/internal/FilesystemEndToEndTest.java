package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.fs.ext4.internal.Ext4Type;
import org.pinlab.fs.xfs.internal.XfsType;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.drivers.DmaMapping;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Schedulers;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActive;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;
import org.pinlab.strategies.internal.writeback.SnapshotPinnedPages;

/** Seed 001 on the real filesystem bundles, through a driver's DMA mapping, under each behaviour. */
class FilesystemEndToEndTest {

    private static final long MS = 1_000_000;

    private static Machine race(Map<String, String> options, Picks picks) {
        return race(new Ext4Type(), options, picks);
    }

    private static Machine race(org.pinlab.api.fs.FilesystemType type, Map<String, String> options, Picks picks) {
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService())
                .pinTracker(Trackers.merged()).choices(picks)
                .engine(EngineConfig.DEFAULT.withRaceWindow(1_000)).build();
        Kernel k = MachineKernel.of(m);
        Mount mount = k.mounts.mount("/mnt", type, options, 1024);
        Inode file = k.filemap.createFile(mount, 4);
        Mm mm = k.mmap.newMm("app");
        Vma map = k.mmap.mmap(mm, 4, true, true, file, 0);
        DmaMapping dma = new DmaMapping(k.devices, "mlx5_0", mm, map.startVpn(), 1, true, true);
        m.engine().spawn("app", new Script("app").call(() -> new UserAccess(k.memory, mm, map.startVpn(), true))
                .at(2 * MS).call(() -> new Fsync(k.fsWriteback, file)), 0);
        m.engine().spawn("ib_umem_get", new Script("driver").at(MS).call(dma::map)
                .at(4 * MS).then(0, t -> dma.deviceWrite(0)).call(() -> dma.unmap(true)), 0);
        m.engine().spawn("kswapd-pass", new Script("reclaim").at(3 * MS).then(0, t -> k.mmap.munmap(mm, map))
                .call(() -> new ShrinkNode(k.vmscan, 1, true)), 0);
        m.engine().spawn("dirty-threshold", new Script("flush").at(5 * MS).then(0, t -> k.wb.wakeFlusher()), 0);
        m.runUntil(50 * MS);
        m.finish();
        return m;
    }

    @Test
    void legacyGupOnExt4HitsTheWritepageBug() {
        Machine m = race(Map.of(), new Picks());
        Finding bug = m.findings().get(m.findings().size() - 1);
        assertEquals(FindingKind.BUG, bug.kind(), m.findings().toString());
        assertTrue(bug.message().contains("mpage_prepare_extent_to_map"), bug.message());
        assertEquals(List.of("mpage_prepare_extent_to_map"), bug.backtrace().subList(0, 1));
    }

    @Test
    void theV518WarningTurnsTheCrashIntoALostWriteTheOracleStillCatches() {
        Machine m = race(Map.of("kernel", "6.12"), new Picks());
        assertEquals(0, m.engine().count(FindingKind.BUG), m.findings().toString());
        // first ext4_dirty_folio's WARN_ON_ONCE(!folio_buffers) at the unpin's dirtying, then the
        // writepage warning (v5.18) when writeback meets the page
        assertEquals(2, m.engine().count(FindingKind.WARN), m.findings().toString());
        List<Finding> warns = m.findings().stream().filter(f -> f.kind() == FindingKind.WARN).toList();
        assertEquals("WARN_ON_ONCE(!folio_buffers(folio))", warns.get(0).message());
        assertEquals(List.of("ext4_dirty_folio", "dma_unmap_user_range+3"), warns.get(0).backtrace().subList(0, 2));
        assertTrue(warns.get(1).message().contains("does not have buffers attached"));
        assertEquals(1, m.engine().count(FindingKind.LOST_WRITE), m.findings().toString());
    }

    @Test
    void trackedPinsWithKeepPrivateAndSnapshotAreCleanOnExt4() {
        Machine m = race(Map.of(), new Picks().release(new TrackedReleaseStrategy())
                .reclaim(new KeepPinnedPagesActive()).writeback(new SnapshotPinnedPages()));
        assertTrue(m.findings().isEmpty(), m.findings().toString());
    }

    @Test
    void legacyGupOnXfsRewritesTheDmaDataInPlaceAndOnlyBreaksChinnersRule() {
        // one block per page: no iomap_folio_state for reclaim to strip, and the block the first
        // writeback allocated takes the DMA data at the next one
        Machine m = race(new XfsType(), Map.of(), new Picks());
        assertEquals(0, m.engine().count(FindingKind.BUG), m.findings().toString());
        assertEquals(0, m.engine().count(FindingKind.WARN), m.findings().toString());
        assertEquals(0, m.engine().count(FindingKind.LOST_WRITE), m.findings().toString());
        assertEquals(1, m.findings().size(), m.findings().toString());
        Finding rule = m.findings().get(0);
        assertEquals(FindingKind.DIRTY_WITHOUT_MKWRITE, rule.kind());
        assertTrue(rule.message().contains("on xfs"), rule.message());
    }

    @Test
    void trackedPinsWithKeepPrivateAndSnapshotAreCleanOnXfs() {
        Machine m = race(new XfsType(), Map.of(), new Picks().release(new TrackedReleaseStrategy())
                .reclaim(new KeepPinnedPagesActive()).writeback(new SnapshotPinnedPages()));
        assertTrue(m.findings().isEmpty(), m.findings().toString());
    }

    @Test
    void aDevicePageOverAnXfsHoleIsLostWithoutAWordWhereExt4Crashes() {
        Machine xfs = readPinWrittenByDevice(new XfsType());
        assertEquals(0, xfs.engine().count(FindingKind.BUG), xfs.findings().toString());
        assertEquals(0, xfs.engine().count(FindingKind.WARN), xfs.findings().toString());
        assertEquals(1, xfs.engine().count(FindingKind.LOST_WRITE), xfs.findings().toString());
        Machine ext4 = readPinWrittenByDevice(new Ext4Type());
        assertEquals(1, ext4.engine().count(FindingKind.BUG), ext4.findings().toString());
    }

    /**
     * A driver pins a page of a sparse file without FOLL_WRITE, so no fault ever calls
     * page_mkwrite, yet its device writes the page and the release dirties it: the page
     * reaches writeback over a hole, with no reservation and no block.
     */
    private static Machine readPinWrittenByDevice(org.pinlab.api.fs.FilesystemType type) {
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService())
                .pinTracker(Trackers.merged()).choices(new Picks())
                .engine(EngineConfig.DEFAULT.withRaceWindow(1_000)).build();
        Kernel k = MachineKernel.of(m);
        Mount mount = k.mounts.mount("/mnt", type, Map.of(), 1024);
        Inode file = k.filemap.createFile(mount, 4);
        Mm mm = k.mmap.newMm("app");
        Vma map = k.mmap.mmap(mm, 4, true, true, file, 0);
        DmaMapping dma = new DmaMapping(k.devices, "mlx5_0", mm, map.startVpn(), 1, false, true);
        m.engine().spawn("ib_umem_get", new Script("driver").at(MS).call(dma::map)
                .at(4 * MS).then(0, t -> dma.deviceWrite(0)).call(() -> dma.unmap(true)), 0);
        m.engine().spawn("dirty-threshold", new Script("flush").at(5 * MS).then(0, t -> k.wb.wakeFlusher()), 0);
        m.runUntil(50 * MS);
        m.finish();
        return m;
    }

    @Test
    void theSameRaceOnTmpfsFindsNothing() {
        // no page_mkwrite to bypass, no buffers to strip, no writeback to hit
        Machine m = race(new org.pinlab.fs.tmpfs.internal.TmpfsType(), Map.of(), new Picks());
        assertTrue(m.findings().isEmpty(), m.findings().toString());
    }
}
