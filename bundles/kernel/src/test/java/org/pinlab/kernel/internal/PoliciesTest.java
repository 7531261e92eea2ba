package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.kernel.internal.Rig.MS;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.drivers.DmaMapping;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.gup.GupFast;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.kernel.internal.mm.truncate.TruncatePages;
import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;
import org.pinlab.strategies.internal.admission.RefuseLongtermFileWritePins;
import org.pinlab.strategies.internal.reclaim.IsolatePinnedPages;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActive;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActiveEarly;
import org.pinlab.strategies.internal.release.BounceReleaseStrategy;
import org.pinlab.strategies.internal.release.LegacyReleaseStrategy;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;
import org.pinlab.strategies.internal.truncate.DeferFree;
import org.pinlab.strategies.internal.truncate.FailTruncate;
import org.pinlab.strategies.internal.writeback.SkipPinnedPages;
import org.pinlab.strategies.internal.writeback.SnapshotPinnedPages;
import org.pinlab.strategies.internal.writeback.WaitForUnpin;

/** Each policy against the kernel model, including the cases where it is supposed to fail. */
class PoliciesTest {

    private static final long SECOND = 1_000_000_000L;

    private static Rig rig(Picks picks, Map<String, String> options) {
        return new Rig(options, Trackers.merged(), picks, 120 * SECOND);
    }

    /** The app dirties page 0, a device maps it long term with the active release strategy. */
    private static DmaMapping dirtyThenPin(Rig r, Script app) {
        DmaMapping dma = new DmaMapping(r.k.devices, "mlx5_0", r.mm, r.vpn(0), 1, true, true);
        app.call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true)).call(dma::map)
                .then(0, t -> assertTrue(dma.mapped(), "mapped: error " + dma.error));
        return dma;
    }

    @Test
    void skipWritebackMakesFsyncReturnSuccessWithoutTheData() {
        Rig r = rig(new Picks().release(new TrackedReleaseStrategy()).writeback(new SkipPinnedPages()), Map.of());
        Script app = r.task("app");
        dirtyThenPin(r, app);
        app.call(() -> new Fsync(r.k.fsWriteback, r.file));
        r.runUntil(10 * MS);
        assertEquals(1, r.count(FindingKind.FSYNC_LIED), r.machine.findings().toString());
        assertEquals(1, r.k.vm.vmstat(Vmstat.WRITEBACK_SKIPPED_PINNED));
    }

    @Test
    void waitingForALongTermPinHangsTheFsync() {
        Rig r = new Rig(Map.of(), Trackers.merged(),
                new Picks().release(new TrackedReleaseStrategy()).writeback(new WaitForUnpin()), SECOND);
        Script app = r.task("app");
        dirtyThenPin(r, app);
        app.call(() -> new Fsync(r.k.fsWriteback, r.file));
        r.runUntil(3 * SECOND);
        assertEquals(1, r.count(FindingKind.HUNG_TASK), r.machine.findings().toString());
        Finding hung = r.machine.findings().get(0);
        assertEquals("app", hung.task());
        assertTrue(hung.message().contains("dma_unpinned"), hung.message());
    }

    @Test
    void waitingIsFineOnceTheDeviceUnpins() {
        Rig r = new Rig(Map.of(), Trackers.merged(),
                new Picks().release(new TrackedReleaseStrategy()).writeback(new WaitForUnpin()), SECOND);
        Script app = r.task("app");
        DmaMapping dma = dirtyThenPin(r, app);
        app.call(() -> new Fsync(r.k.fsWriteback, r.file));
        r.task("device").at(100 * MS).then(0, t -> dma.deviceWrite(0)).call(() -> dma.unmap(true));
        r.runUntil(3 * SECOND);
        assertEquals(0, r.count(FindingKind.HUNG_TASK));
        assertEquals(0, r.count(FindingKind.FSYNC_LIED), r.machine.findings().toString());
    }

    @Test
    void snapshotWritesAStableCopyAndKeepsThePageDirty() {
        Rig r = rig(new Picks().release(new TrackedReleaseStrategy()).writeback(new SnapshotPinnedPages()),
                Map.of("stable", "true"));
        Script app = r.task("app");
        DmaMapping dma = dirtyThenPin(r, app);
        long[] atFsync = new long[1];
        app.at(MS).then(0, t -> atFsync[0] = r.k.frames.token(r.pfnOf(0))).call(() -> new Fsync(r.k.fsWriteback, r.file));
        // the device writes while the snapshot's I/O is in flight: the copy cannot tear
        r.task("device").at(MS + 5 * Rig.US).then(0, t -> dma.deviceWrite(0));
        r.runUntil(10 * MS);
        assertEquals(0, r.count(FindingKind.TORN_WRITE));
        assertEquals(0, r.count(FindingKind.FSYNC_LIED), r.machine.findings().toString());
        assertEquals(atFsync[0], r.k.oracles.durable(r.file, 0), "the snapshot reached the disk");
        assertTrue(r.k.frames.test(r.pfnOf(0), PageFlags.DIRTY), "the page stays dirty for the next round");
        assertEquals(1, r.k.vm.vmstat(Vmstat.WRITEBACK_SNAPSHOTS));
        assertEquals(0, r.k.vm.vmstat(Vmstat.NR_BOUNCE), "the bounce page went back after the I/O");
        assertEquals(0, r.k.vm.vmstat(Vmstat.NR_WRITEBACK), "the writeback the filesystem started was ended");
        assertEquals(-1, r.file.mapping.nextWriteback(0), "and its writeback tag with it");
    }

    /** The pinned page is written back (clean), then reclaim meets it. */
    private static Rig reclaimPinned(Picks picks) {
        Rig r = rig(picks.release(new TrackedReleaseStrategy()), Map.of());
        Script app = r.task("app");
        dirtyThenPin(r, app);
        app.call(() -> new Fsync(r.k.fsWriteback, r.file)).then(0, t -> r.k.mmap.munmap(r.mm, r.map))
                .call(() -> new ShrinkNode(r.k.vmscan, 8, false));
        return r.runUntil(10 * MS);
    }

    @Test
    void legacyReclaimStripsAPinnedPagesBuffersBeforeBackingOut() {
        Rig r = reclaimPinned(new Picks());
        assertTrue(r.k.vm.vmstat(Vmstat.RECLAIM_BUFFERS_STRIPPED) >= 1);
        assertFalse(r.k.frames.test(r.pfnOf(0), PageFlags.PRIVATE));
        assertEquals(1, r.count(FindingKind.PINNED_PRIVATE_RECLAIMED), "what d824ec2a1546 forbids");
    }

    /**
     * folio_maybe_dma_pinned (include/linux/mm.h, v6.12) on a small folio is
     * folio_ref_count >= GUP_PIN_COUNTING_BIAS: 1,024 plain references read as a pin. The
     * verdict that rests on it says it may be a false positive rather than claiming a pin.
     */
    @Test
    void folioMaybeDmaPinnedCountsAThousandPlainReferencesAsAPinAndTheVerdictSaysItMayBeFalse() {
        Rig r = rig(new Picks(), Map.of());
        Script app = r.task("app");
        app.call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .call(() -> new Fsync(r.k.fsWriteback, r.file))
                .then(0, t -> {
                    for (int i = 0; i < 1024; i++) {
                        assertEquals(0, r.k.pins.accounting().tryGrab(r.pfnOf(0), Foll.GET)); // get_page, no pin
                    }
                    assertTrue(r.k.pins.maybeDmaPinned(r.pfnOf(0)), "refcount >= GUP_PIN_COUNTING_BIAS");
                    r.k.mmap.munmap(r.mm, r.map);
                })
                .call(() -> new ShrinkNode(r.k.vmscan, 8, false));
        r.runUntil(10 * MS);
        Finding f = r.machine.findings().stream().filter(x -> x.kind() == FindingKind.PINNED_PRIVATE_RECLAIMED)
                .findFirst().orElseThrow(() -> new AssertionError(r.machine.findings().toString()));
        assertTrue(f.message().contains("maybe pinned (false positive possible: refcount >= bias without a pin)"),
                f.message());
        Rig pinned = reclaimPinned(new Picks());
        Finding real = pinned.machine.findings().stream()
                .filter(x -> x.kind() == FindingKind.PINNED_PRIVATE_RECLAIMED).findFirst().orElseThrow();
        assertFalse(real.message().contains("false positive"), "a FOLL_PIN grab holds it: " + real.message());
    }

    @Test
    void keepPrivateReclaimLeavesAPinnedPageActiveWithItsBuffers() {
        Rig r = reclaimPinned(new Picks().reclaim(new KeepPinnedPagesActive()));
        assertEquals(0, r.k.vm.vmstat(Vmstat.RECLAIM_BUFFERS_STRIPPED));
        assertEquals(0, r.count(FindingKind.PINNED_PRIVATE_RECLAIMED));
        assertTrue(r.k.vm.vmstat(Vmstat.RECLAIM_KEPT_PINNED) >= 1);
        int pfn = r.pfnOf(0);
        assertTrue(r.k.frames.test(pfn, PageFlags.PRIVATE) && r.k.frames.test(pfn, PageFlags.ACTIVE));
    }

    /**
     * Page 0 is clean, mapped and unreferenced on the LRU; reclaim scans it from 2 ms, and a
     * GUP-fast read pin of it (one atomic walk of a present PTE) lands right after reclaim's
     * reference check, before its try_to_unmap.
     */
    private static Rig reclaimWithAPinBetweenTheCheckAndTheUnmap(Picks picks) {
        Rig r = rig(picks.release(new TrackedReleaseStrategy()), Map.of());
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .call(() -> new Fsync(r.k.fsWriteback, r.file))
                .then(0, t -> {
                    int pfn = r.pfnOf(0);
                    r.k.rmap.clearYoungPtes(pfn);
                    r.k.frames.clear(pfn, PageFlags.REFERENCED);
                });
        long scan = 2 * MS;
        long checked = scan + r.k.costs.ns(Cost.RECLAIM_PAGE); // isolate_lru_folios' step ends here
        r.machine.engine().spawn("kswapd", new Script("kswapd").at(scan)
                .call(() -> new ShrinkNode(r.k.vmscan, 1, true)), 0);
        r.machine.engine().spawn("vfio", new Script("vfio").at(checked + 1)
                .call(() -> new GupFast(r.k.gup, r.mm, r.vpn(0), 1, Foll.PIN, "vfio")), 0);
        return r.runUntil(10 * MS);
    }

    @Test
    void shrinkFolioListAsksAboutPinsAfterTryToUnmapSoAPinTakenBeforeTheUnmapKeepsTheBuffers() {
        // d824ec2a1546 (v6.4): "Folio is unmapped now so it cannot be newly pinned anymore"
        Rig merged = reclaimWithAPinBetweenTheCheckAndTheUnmap(new Picks().reclaim(new KeepPinnedPagesActive()));
        int pfn = merged.pfnOf(0);
        assertEquals(1, merged.k.pins.accounting().outstanding().size(), "the pin was taken");
        assertTrue(merged.k.frames.test(pfn, PageFlags.PRIVATE), "keep-private saw it after the unmap");
        assertTrue(merged.k.vm.vmstat(Vmstat.RECLAIM_KEPT_PINNED) >= 1, "kept, at every scan");
        assertEquals(0, merged.k.vm.vmstat(Vmstat.RECLAIM_BUFFERS_STRIPPED));
        assertEquals(0, merged.count(FindingKind.PINNED_PRIVATE_RECLAIMED), merged.machine.findings().toString());

        Rig early = reclaimWithAPinBetweenTheCheckAndTheUnmap(new Picks().reclaim(new KeepPinnedPagesActiveEarly()));
        int pinned = early.k.pins.accounting().outstanding().get(0).pfns()[0];
        assertFalse(early.k.frames.test(pinned, PageFlags.PRIVATE), "asked before the unmap, the pin slipped by");
        assertEquals(1, early.k.vm.vmstat(Vmstat.RECLAIM_BUFFERS_STRIPPED), "once: later scans see the pin");
        assertEquals(1, early.count(FindingKind.PINNED_PRIVATE_RECLAIMED), early.machine.findings().toString());
    }

    @Test
    void isolateLruTakesAPinnedPageOffTheLruUntilItIsUnpinned() {
        Rig r = rig(new Picks().release(new TrackedReleaseStrategy()).reclaim(new IsolatePinnedPages()), Map.of());
        Script app = r.task("app");
        DmaMapping dma = dirtyThenPin(r, app);
        app.call(() -> new Fsync(r.k.fsWriteback, r.file)).then(0, t -> r.k.mmap.munmap(r.mm, r.map))
                .call(() -> new ShrinkNode(r.k.vmscan, 8, false))
                .then(0, t -> {
                    assertEquals(1, r.k.vm.vmstat(Vmstat.NR_ISOLATED_PINNED), "memory reclaim can no longer touch");
                    assertFalse(r.k.frames.test(r.pfnOf(0), PageFlags.LRU));
                })
                .call(() -> dma.unmap(false))
                .then(0, t -> {
                    assertEquals(0, r.k.vm.vmstat(Vmstat.NR_ISOLATED_PINNED));
                    assertTrue(r.k.frames.test(r.pfnOf(0), PageFlags.LRU), "back on the LRU at unpin");
                });
        r.runUntil(10 * MS);
        assertEquals(0, r.machine.engine().liveTasks(), "the script ran to its end");
    }

    @Test
    void theLongTermFileWritePinIsRefusedWithEfaultAndNothingIsPinned() {
        Rig r = rig(new Picks().release(new TrackedReleaseStrategy()).admission(new RefuseLongtermFileWritePins()),
                Map.of());
        DmaMapping file = new DmaMapping(r.k.devices, "mlx5_0", r.mm, r.vpn(0), 2, true, true);
        Vma[] anon = new Vma[1];
        DmaMapping[] anonDma = new DmaMapping[1];
        r.task("app").call(file::map).then(0, t -> {
            anon[0] = r.k.mmap.mmap(r.mm, 2, false, true, null, 0);
            anonDma[0] = new DmaMapping(r.k.devices, "mlx5_0", r.mm, anon[0].startVpn(), 2, true, true);
        }).call(() -> anonDma[0].map());
        r.runUntil(MS);
        assertEquals(Errno.EFAULT.negative(), file.error);
        assertFalse(file.mapped());
        assertTrue(anonDma[0].mapped(), "anonymous memory may still be pinned long term");
        assertEquals(2, r.k.pins.accounting().pinsAcquired(), "only the anonymous pages were pinned");
    }

    /**
     * {@code __get_user_pages} calls {@code check_vma_flags} for each new VMA before
     * {@code follow_page_mask} and {@code faultin_page} (mm/gup.c, v6.5: 8ac268436e6d "mm/gup:
     * disallow FOLL_LONGTERM GUP-nonfast writing to file-backed mappings"): a refused long-term
     * pin faults nothing in, dirties nothing and never reaches {@code page_mkwrite}.
     */
    @Test
    void checkVmaFlagsRefusesALongtermFileWritePinBeforeFaultingAnythingIn() {
        Rig r = rig(new Picks().release(new TrackedReleaseStrategy()).admission(new RefuseLongtermFileWritePins()),
                Map.of());
        DmaMapping file = new DmaMapping(r.k.devices, "mlx5_0", r.mm, r.vpn(0), 2, true, true);
        r.task("app").call(file::map);
        r.runUntil(MS);
        assertEquals(Errno.EFAULT.negative(), file.error);
        assertEquals(0, r.fs.mkwrites, "page_mkwrite ran for a pin that was then refused");
        assertTrue(r.pfnOf(0) < 0 && r.pfnOf(1) < 0, "the refused pin faulted the file's pages in");
        assertEquals(0, r.k.vm.vmstat(Vmstat.PGFAULT), "no fault at all");
        assertEquals(0, r.k.pins.accounting().pinsAcquired());
    }

    @Test
    void failTruncateReturnsEbusyAndLeavesTheFileAlone() {
        Rig r = rig(new Picks().release(new TrackedReleaseStrategy()).truncate(new FailTruncate()), Map.of());
        Script app = r.task("app");
        dirtyThenPin(r, app);
        TruncatePages[] tr = new TruncatePages[1];
        app.call(() -> tr[0] = new TruncatePages(r.k.truncate, r.file, 0));
        r.runUntil(MS);
        assertEquals(Errno.EBUSY.negative(), tr[0].result);
        assertEquals(8, r.file.sizePages());
        assertTrue(r.pfnOf(0) >= 0, "the page is still cached");
    }

    @Test
    void deferFreeKeepsThePinnedPagesBlockUntilUnpin() {
        Rig r = rig(new Picks().release(new TrackedReleaseStrategy()).truncate(new DeferFree()), Map.of());
        Script app = r.task("app");
        DmaMapping dma = dirtyThenPin(r, app);
        app.call(() -> new Fsync(r.k.fsWriteback, r.file)).call(() -> new TruncatePages(r.k.truncate, r.file, 0))
                .then(0, t -> {
                    assertEquals(1, r.k.truncate.deferredBlockFrees());
                    assertTrue(r.fs.mappedBlock(r.file.ino(), 0) >= 0, "block kept while pinned");
                })
                .call(() -> dma.unmap(false))
                .then(10_000, t -> { // then 10 us for the kworker to run
                    assertTrue(r.fs.mappedBlock(r.file.ino(), 0) >= 0, "the unpin only queues the free");
                    assertEquals(1, r.k.truncate.deferredBlockFrees());
                })
                .then(0, t -> assertEquals(-1, r.fs.mappedBlock(r.file.ino(), 0), "freed by the work at unpin"));
        r.runUntil(10 * MS);
        assertEquals(0, r.machine.engine().liveTasks(), "the script ran to its end");
        assertEquals(0, r.k.truncate.deferredBlockFrees());
    }

    @Test
    void swappingReleaseStrategiesWhilePinsAreLiveLeavesEveryCounterBalanced() {
        Picks picks = new Picks();
        Rig r = rig(picks, Map.of());
        int[] base = new int[3];
        DmaMapping[] m = new DmaMapping[3];
        Script app = r.task("app");
        for (int i = 0; i < 3; i++) {
            int page = i;
            app.call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(page), true))
                    .then(0, t -> base[page] = r.k.frames.refcount(r.pfnOf(page)));
        }
        app.then(0, t -> picks.release(new LegacyReleaseStrategy()))
                .then(0, t -> m[0] = new DmaMapping(r.k.devices, "legacy-dev", r.mm, r.vpn(0), 1, true, false))
                .call(() -> m[0].map())
                .then(0, t -> picks.release(new TrackedReleaseStrategy()))
                .then(0, t -> m[1] = new DmaMapping(r.k.devices, "tracked-dev", r.mm, r.vpn(1), 1, true, true))
                .call(() -> m[1].map())
                .then(0, t -> picks.release(new BounceReleaseStrategy()))
                .then(0, t -> m[2] = new DmaMapping(r.k.devices, "bounce-dev", r.mm, r.vpn(2), 1, true, true))
                .call(() -> m[2].map())
                .then(0, t -> {
                    picks.release(new LegacyReleaseStrategy()); // swap back while all three are live
                    assertEquals(3, r.k.pins.accounting().outstanding().size());
                    for (int i = 0; i < 3; i++) {
                        m[i].deviceWrite(0);
                    }
                })
                .call(() -> m[0].unmap(true)).call(() -> m[1].unmap(true)).call(() -> m[2].unmap(true));
        r.runUntil(10 * MS);
        assertEquals(0, r.machine.engine().liveTasks(), "the script ran to its end");
        for (int i = 0; i < 3; i++) {
            int pfn = r.pfnOf(i);
            assertEquals(base[i], r.k.frames.refcount(pfn), "refcount of page " + i + " is back where it was");
        }
        assertTrue(r.k.pins.accounting().outstanding().isEmpty());
        assertEquals(2, r.k.pins.accounting().pinsAcquired());
        assertEquals(r.k.pins.accounting().pinsAcquired(), r.k.pins.accounting().pinsReleased(), "nr_foll_pin_acquired == released");
        assertEquals(0, r.k.vm.vmstat(Vmstat.NR_BOUNCE));
        assertNotNull(r.machine.findings());
        assertEquals(0, r.count(FindingKind.REFCOUNT_UNDERFLOW) + r.count(FindingKind.PIN_UNDERFLOW));
    }
}
