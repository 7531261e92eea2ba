package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pinlab.kernel.internal.Rig.MS;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.kernel.internal.drivers.DmaMapping;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActive;
import org.pinlab.strategies.internal.release.BounceReleaseStrategy;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;
import org.pinlab.strategies.internal.writeback.SnapshotPinnedPages;

/**
 * The seed 001 race driven through a driver's DMA mapping, under the fixes being compared:
 * the same timeline crashes under legacy GUP and stays clean under tracked pins with
 * keep-private reclaim and snapshot writeback, or with bounce buffers.
 */
class Seed001ComparisonTest {

    private static Rig race(Picks picks) {
        Rig r = new Rig(Map.of(), Trackers.merged(), picks, 120_000_000_000L);
        DmaMapping dma = new DmaMapping(r.k.devices, "mlx5_0", r.mm, r.vpn(0), 1, true, true);
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .at(2 * MS).call(() -> new Fsync(r.k.fsWriteback, r.file));
        r.task("ib_umem_get").at(MS).call(dma::map)
                .at(4 * MS).then(0, t -> dma.deviceWrite(0)).call(() -> dma.unmap(true));
        r.task("kswapd-pass").at(3 * MS).then(0, t -> r.k.mmap.munmap(r.mm, r.map))
                .call(() -> new ShrinkNode(r.k.vmscan, 1, true));
        r.task("dirty-threshold").at(5 * MS).then(0, t -> r.k.wb.wakeFlusher());
        r.runUntil(50 * MS);
        r.machine.finish();
        return r;
    }

    @Test
    void legacyGupCrashesInExt4Writepage() {
        Rig r = race(new Picks());
        assertEquals(1, r.count(FindingKind.BUG), r.machine.findings().toString());
        assertEquals(1, r.count(FindingKind.DIRTY_WITHOUT_MKWRITE));
    }

    @Test
    void trackedPinsWithKeepPrivateAndSnapshotNeitherCrashNorLoseTheWrite() {
        Rig r = race(new Picks().release(new TrackedReleaseStrategy()).reclaim(new KeepPinnedPagesActive())
                .writeback(new SnapshotPinnedPages()));
        assertEquals(0, r.machine.findings().size(), r.machine.findings().toString());
        assertEquals(r.k.oracles.latest(r.file, 0), r.k.oracles.durable(r.file, 0), "the DMA data is on disk");
        assertEquals(r.k.pins.accounting().pinsAcquired(), r.k.pins.accounting().pinsReleased());
    }

    @Test
    void bounceBuffersBringTheDataInThroughPageMkwrite() {
        Rig r = race(new Picks().release(new BounceReleaseStrategy()));
        assertEquals(0, r.count(FindingKind.BUG), r.machine.findings().toString());
        assertEquals(0, r.count(FindingKind.DIRTY_WITHOUT_MKWRITE), r.machine.findings().toString());
        assertEquals(0, r.count(FindingKind.LOST_WRITE), r.machine.findings().toString());
        assertEquals(4096, r.k.vm.vmstat(Vmstat.BOUNCE_COPY_BYTES), "one page copied in at unmap");
    }
}
