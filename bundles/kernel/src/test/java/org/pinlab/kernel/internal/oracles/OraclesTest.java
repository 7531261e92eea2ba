package org.pinlab.kernel.internal.oracles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.kernel.internal.Rig.MS;
import static org.pinlab.kernel.internal.Rig.US;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.kernel.internal.Picks;
import org.pinlab.kernel.internal.Rig;
import org.pinlab.kernel.internal.Script;
import org.pinlab.kernel.internal.Trackers;
import org.pinlab.kernel.internal.drivers.DmaMapping;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.OpenFile;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.kernel.internal.mm.truncate.TruncatePages;
import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;
import org.pinlab.strategies.internal.reclaim.ReclaimPinnedPages;
import org.pinlab.strategies.internal.release.LegacyReleaseStrategy;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;

/** Every oracle once where it must fire and once where it must stay silent. */
class OraclesTest {

    @Test
    void storesThroughTheMappingNeverTripTheMkwriteOracle() {
        Rig r = new Rig();
        r.task("app")
                .call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .call(() -> new Fsync(r.k.fsWriteback, r.file))
                .call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true)) // faults again after writeback
                .call(() -> new Fsync(r.k.fsWriteback, r.file));
        r.runUntil(10 * MS);
        assertEquals(2, r.fs.mkwrites, "page_mkwrite ran for each clean -> dirty transition");
        r.machine.finish();
        assertTrue(r.machine.findings().isEmpty(), r.machine.findings().toString());
    }

    @Test
    void dmaDirtyingACleanedPageTripsTheMkwriteOracle() {
        Rig r = new Rig();
        int[] pfn = {-1};
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true)).call(() -> new Fsync(r.k.fsWriteback, r.file))
                .then(0, t -> {
                    pfn[0] = r.pfnOf(0);
                    r.k.devices.dmaWrite(pfn[0]);
                    r.k.filemap.setPageDirty(pfn[0]);
                });
        r.runUntil(10 * MS);
        assertEquals(1, r.count(FindingKind.DIRTY_WITHOUT_MKWRITE));
    }

    @Test
    void aWritepageThatDropsTheDataIsALostWriteAfterSync() {
        Rig r = new Rig(4096, 8, Map.of("drop", "true"));
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(3), true));
        r.runUntil(MS);
        r.machine.finish();
        assertEquals(1, r.count(FindingKind.LOST_WRITE), r.machine.findings().toString());
        assertTrue(r.machine.findings().get(0).message().contains("page 3"));
    }

    @Test
    void fsyncReturningWithoutTheDataLies() {
        Rig r = new Rig(4096, 8, Map.of("drop", "true"));
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(1), true)).call(() -> new Fsync(r.k.fsWriteback, r.file));
        r.runUntil(10 * MS);
        assertEquals(1, r.count(FindingKind.FSYNC_LIED), r.machine.findings().toString());
    }

    @Test
    void honestFsyncIsSilentAndTheDataIsOnDisk() {
        Rig r = new Rig();
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(1), true)).call(() -> new Fsync(r.k.fsWriteback, r.file));
        r.runUntil(10 * MS);
        assertEquals(0, r.count(FindingKind.FSYNC_LIED));
        assertEquals(r.k.oracles.latest(r.file, 1), r.k.oracles.durable(r.file, 1));
    }

    @Test
    void aWritebackErrorReachesEveryOpenFilesFsyncOnceThroughErrseqAndIsNoLie() {
        // mapping_set_error (writeback_use_writepage, v6.12) -> errseq_set on mapping->wb_err;
        // fsync -> file_write_and_wait_range -> file_check_and_advance_wb_err: once per file
        Rig r = new Rig(4096, 8, Map.of("eio", "1"));
        OpenFile one = OpenFile.open(r.file);
        OpenFile two = OpenFile.open(r.file);
        Fsync[] fsyncs = new Fsync[4];
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(1), true))
                .call(() -> fsyncs[0] = new Fsync(r.k.fsWriteback, one))
                .call(() -> fsyncs[1] = new Fsync(r.k.fsWriteback, one))
                .call(() -> fsyncs[2] = new Fsync(r.k.fsWriteback, two))
                .call(() -> fsyncs[3] = new Fsync(r.k.fsWriteback, OpenFile.open(r.file)));
        r.runUntil(10 * MS);
        assertEquals(org.pinlab.api.errno.Errno.EIO.negative(), fsyncs[0].result, "the error, once");
        assertEquals(0, fsyncs[1].result, "then success: errseq marked it seen for this file");
        assertEquals(org.pinlab.api.errno.Errno.EIO.negative(), fsyncs[2].result, "a file open before it sees it too");
        assertEquals(0, fsyncs[3].result, "a file opened after it was seen does not");
        assertEquals(0, r.count(FindingKind.FSYNC_LIED), "the filesystem's failure was reported: no lie "
                + r.machine.findings());
        assertTrue(r.k.oracles.durable(r.file, 1) != r.k.oracles.latest(r.file, 1), "the data is lost all the same");
    }

    @Test
    void tagPagesForWritebackKeepsAnFsyncToThePagesDirtyWhenItStarted() {
        // writeback_iter (v6.12): WB_SYNC_ALL tags PAGECACHE_TAG_DIRTY pages TOWRITE first
        // (tag_pages_for_writeback) and writes those, so a page dirtied during the fsync, ahead
        // of its cursor, waits for the next pass instead of making this one longer
        Rig r = new Rig(4096, 64, Map.of());
        Script app = r.task("app");
        for (int i = 0; i < 40; i++) {
            int page = i;
            app.call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(page), true));
        }
        Fsync[] fsync = new Fsync[1];
        app.at(MS).call(() -> fsync[0] = new Fsync(r.k.fsWriteback, r.file));
        r.task("late").at(MS + 2 * US).call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(60), true));
        r.runUntil(MS + 500 * US);
        assertEquals(0, fsync[0].result);
        for (int i = 0; i < 40; i++) {
            assertFalse(r.k.frames.test(r.pfnOf(i), org.pinlab.api.mm.PageFlags.DIRTY), "page " + i + " written");
        }
        assertTrue(r.k.frames.test(r.pfnOf(60), org.pinlab.api.mm.PageFlags.DIRTY),
                "dirtied after the fsync began: not this pass's");
        assertEquals(0, r.count(FindingKind.FSYNC_LIED), "nobody promised page 60 to that fsync");
    }

    /** A device writes the page while its write is in flight: between submit and completion. */
    private static Rig dmaDuringWriteback(boolean stable) {
        Rig r = new Rig(4096, 8, Map.of("stable", Boolean.toString(stable)));
        int[] pfn = {-1};
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .then(0, t -> {
                    pfn[0] = r.pfnOf(0);
                    r.k.refs.getPage(pfn[0]); // the device's reference
                })
                .at(MS).call(() -> new Fsync(r.k.fsWriteback, r.file));
        r.task("device").at(MS + 10 * US).then(0, t -> r.k.devices.dmaWrite(pfn[0]));
        return r.runUntil(10 * MS);
    }

    @Test
    void aDeviceWritingUnderWritebackTearsAStablePagesBlock() {
        Rig r = dmaDuringWriteback(true);
        assertEquals(1, r.count(FindingKind.TORN_WRITE), r.machine.findings().toString());
        long durable = r.k.oracles.durable(r.file, 0);
        assertFalse(durable == r.k.oracles.latest(r.file, 0), "the torn block holds neither version");
    }

    @Test
    void withoutStablePagesTheSameRaceIsNoTornWrite() {
        assertEquals(0, dmaDuringWriteback(false).count(FindingKind.TORN_WRITE));
    }

    /** A buggy driver keeps a pfn without a reference; truncate frees the page; then the DMA lands. */
    private static Rig dmaAfterTruncate(boolean holdReference) {
        Rig r = new Rig();
        int[] pfn = {-1};
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(2), true))
                .then(0, t -> {
                    pfn[0] = r.pfnOf(2);
                    if (holdReference) {
                        r.k.refs.getPage(pfn[0]);
                    }
                })
                .call(() -> new TruncatePages(r.k.truncate, r.file, 0))
                .then(0, t -> r.k.devices.dmaWrite(pfn[0]));
        return r.runUntil(10 * MS);
    }

    @Test
    void dmaIntoAFreedFrameIsUseAfterFree() {
        assertEquals(1, dmaAfterTruncate(false).count(FindingKind.USE_AFTER_FREE));
    }

    @Test
    void aReferenceKeepsTheTruncatedFrameAliveSoNoUseAfterFree() {
        Rig r = dmaAfterTruncate(true);
        assertEquals(0, r.count(FindingKind.USE_AFTER_FREE));
        assertEquals(-1, r.pfnOf(2), "the page left the page cache all the same");
    }

    @Test
    void anExtraPutPageUnderflowsTheRefcount() {
        Rig r = new Rig();
        r.task("buggy").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true)).then(0, t -> {
            int pfn = r.pfnOf(0);
            for (int i = 0; i < 4; i++) {
                r.k.refs.putPage(pfn); // cache + PTE + buffers hold 3
            }
        });
        r.runUntil(MS);
        assertEquals(1, r.count(FindingKind.REFCOUNT_UNDERFLOW), r.machine.findings().toString());
    }

    @Test
    void balancedReferencesNeverUnderflow() {
        Rig r = new Rig();
        r.task("fine").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true)).then(0, t -> {
            int pfn = r.pfnOf(0);
            r.k.refs.getPage(pfn);
            r.k.refs.putPage(pfn);
        }).call(() -> new TruncatePages(r.k.truncate, r.file, 0));
        r.runUntil(MS);
        assertEquals(0, r.count(FindingKind.REFCOUNT_UNDERFLOW));
        assertEquals(0, r.count(FindingKind.REFCOUNT_OVERFLOW));
    }

    @Test
    void aReferenceBeyondIntMaxIsRefusedAsOverflow() {
        Rig r = new Rig();
        r.task("leaky").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true)).then(0, t -> {
            int pfn = r.pfnOf(0);
            r.k.frames.setRefcount(pfn, Integer.MAX_VALUE);
            r.k.refs.getPage(pfn);
            assertEquals(Integer.MAX_VALUE, r.k.frames.refcount(pfn), "the count did not wrap");
        });
        r.runUntil(MS);
        assertEquals(1, r.count(FindingKind.REFCOUNT_OVERFLOW));
    }

    @Test
    void aFilesystemWarningIsReportedAndTheMachineGoesOn() {
        Rig r = new Rig(4096, 8, Map.of("warn", "true"));
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true)).call(() -> new Fsync(r.k.fsWriteback, r.file));
        r.runUntil(MS);
        assertEquals(1, r.count(FindingKind.WARN));
        assertEquals("ext4_writepage", r.machine.findings().get(0).backtrace().get(0));
        assertFalse(r.machine.engine().stopped());
        assertEquals(r.k.oracles.latest(r.file, 0), r.k.oracles.durable(r.file, 0), "and the write completed");
    }

    @Test
    void aPinStillHeldAtShutdownIsALeakNamingItsOwner() {
        Rig r = new Rig(Map.of(), Trackers.merged(), new Picks(), 120_000_000_000L);
        DmaMapping dma = new DmaMapping(r.k.devices, "leaky-gpu", r.mm, r.vpn(0), 2, true, false);
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true)).call(dma::map);
        r.runUntil(MS);
        r.machine.finish();
        assertEquals(1, r.count(FindingKind.PIN_LEAK), r.machine.findings().toString());
        assertTrue(r.machine.findings().get(0).message().startsWith("leaky-gpu still holds 2 pages"));
    }

    @Test
    void aReleasedPinIsNoLeak() {
        Rig r = new Rig(Map.of(), Trackers.merged(), new Picks(), 120_000_000_000L);
        DmaMapping dma = new DmaMapping(r.k.devices, "gpu", r.mm, r.vpn(0), 2, true, false);
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true)).call(dma::map)
                .call(() -> dma.unmap(false));
        r.runUntil(MS);
        r.machine.finish();
        assertEquals(0, r.count(FindingKind.PIN_LEAK), r.machine.findings().toString());
    }

    /**
     * Page 0 is stored to, taken for DMA long term as the release strategy says, written back
     * and unmapped; then reclaim as the kernel had it before v6.4, which never asks about pins,
     * scans it: its buffers go, and the device still holds the page.
     */
    private static Rig reclaimAPageADeviceHolds(Picks picks) {
        Rig r = new Rig(Map.of(), Trackers.merged(), picks.reclaim(new ReclaimPinnedPages()), 120_000_000_000L);
        DmaMapping dma = new DmaMapping(r.k.devices, "mlx5_0", r.mm, r.vpn(0), 1, true, true);
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true)).call(dma::map)
                .call(() -> new Fsync(r.k.fsWriteback, r.file)).then(0, t -> r.k.mmap.munmap(r.mm, r.map))
                .call(() -> new ShrinkNode(r.k.vmscan, 8, false));
        return r.runUntil(10 * MS);
    }

    @Test
    void reclaimReleasingThePrivateDataOfAPinnedPageIsWhatD824ec2a1546Forbids() {
        Rig r = reclaimAPageADeviceHolds(new Picks().release(new TrackedReleaseStrategy()));
        assertEquals(1, r.k.vm.vmstat(Vmstat.RECLAIM_BUFFERS_STRIPPED));
        assertEquals(1, r.count(FindingKind.PINNED_PRIVATE_RECLAIMED), r.machine.findings().toString());
        String message = r.machine.findings().get(0).message();
        assertTrue(message.contains("inode " + r.file.ino + " page 0"), message);
        String frame = r.machine.findings().get(0).backtrace().get(0);
        assertTrue(frame.startsWith("try_to_free_pages"), "raised in reclaim's own step: " + frame);
    }

    @Test
    void aPlainGupReferenceIsNoPinToFolioMaybeDmaPinnedSoTheSameReclaimIsSilent() {
        Rig r = reclaimAPageADeviceHolds(new Picks().release(new LegacyReleaseStrategy()));
        assertEquals(1, r.k.vm.vmstat(Vmstat.RECLAIM_BUFFERS_STRIPPED), "the buffers went all the same");
        assertEquals(0, r.count(FindingKind.PINNED_PRIVATE_RECLAIMED), r.machine.findings().toString());
    }
}
