package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.kernel.internal.Rig.MS;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.mm.Watermark;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.block.BlockDevice;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.AddressSpace;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.HandleMmFault;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.kernel.internal.mm.swap.Lru;
import org.pinlab.kernel.internal.mm.truncate.TruncatePages;
import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;
import org.pinlab.sim.Schedulers;

/** The kernel's paths one at a time: faults, writeback, reclaim, truncate, allocation. */
class KernelMechanismsTest {

    @Test
    void anonymousFaultMapsAZeroedPageThatMunmapFrees() {
        Rig r = new Rig();
        long free = r.k.phys.freeFrames(Zone.NORMAL);
        Vma[] anon = new Vma[1];
        r.task("app").then(0, t -> anon[0] = r.k.mmap.mmap(r.mm, 4, false, true, null, 0))
                .call(() -> new UserAccess(r.k.memory, r.mm, anon[0].startVpn(), false))
                .call(() -> new UserAccess(r.k.memory, r.mm, anon[0].startVpn() + 1, true))
                .then(0, t -> {
                    int read = anon[0].pfn[0];
                    int written = anon[0].pfn[1];
                    assertEquals(BlockDevice.ZERO, r.k.frames.token(read));
                    assertNotEquals(BlockDevice.ZERO, r.k.frames.token(written));
                    assertTrue(r.k.frames.test(read, PageFlags.ANON));
                    assertTrue(r.k.frames.test(written, PageFlags.DIRTY));
                    assertEquals(free - 2, r.k.phys.freeFrames(Zone.NORMAL));
                    r.k.mmap.munmap(r.mm, anon[0]);
                    assertEquals(free, r.k.phys.freeFrames(Zone.NORMAL));
                    assertTrue(r.k.frames.test(read, PageFlags.BUDDY));
                });
        r.runUntil(MS);
        assertEquals(0, r.machine.engine().liveTasks(), "the script ran to its end");
    }

    @Test
    void writebackWriteProtectsThePteSoTheNextStoreFaultsIntoPageMkwrite() {
        Rig r = new Rig();
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .then(0, t -> assertTrue((r.map.pte[0] & Vma.PTE_WRITE) != 0))
                .call(() -> new Fsync(r.k.fsWriteback, r.file))
                .then(0, t -> {
                    int pfn = r.pfnOf(0);
                    assertFalse(r.k.frames.test(pfn, PageFlags.DIRTY), "clean after writeback");
                    assertEquals(0, r.map.pte[0] & (Vma.PTE_WRITE | Vma.PTE_DIRTY), "page_mkclean");
                    assertEquals(r.k.frames.token(pfn), r.k.oracles.durable(r.file, 0), "on disk");
                })
                .call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true));
        r.runUntil(10 * MS);
        assertEquals(2, r.fs.mkwrites);
        assertTrue(r.k.frames.test(r.pfnOf(0), PageFlags.DIRTY));
    }

    @Test
    void anEvictedPageIsReadBackFromDiskWithItsData() {
        Rig r = new Rig();
        long[] written = new long[1];
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(5), true))
                .then(0, t -> written[0] = r.k.frames.token(r.pfnOf(5)))
                .call(() -> new Fsync(r.k.fsWriteback, r.file))
                .then(0, t -> r.k.mmap.munmap(r.mm, r.map))
                .call(() -> new ShrinkNode(r.k.vmscan, 8, false))
                .then(0, t -> assertEquals(-1, r.pfnOf(5), "evicted"))
                .then(0, t -> r.k.mmap.mmap(r.mm, 8, true, true, r.file, 0))
                .call(() -> new UserAccess(r.k.memory, r.mm, r.mm.vmas().get(0).startVpn() + 5, false));
        r.runUntil(10 * MS);
        assertEquals(written[0], r.k.frames.token(r.pfnOf(5)), "read back through ->read_folio");
        assertEquals(1, r.k.vm.vmstat(Vmstat.PGMAJFAULT) - 1, "one read from disk after the first fault");
    }

    @Test
    void reclaimLeavesDirtyPagesToTheFlusherAndFreesCleanOnes() {
        Rig r = new Rig();
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(1), true))
                .call(() -> new Fsync(r.k.fsWriteback, r.file))
                .call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(1), true)) // dirty again
                .call(() -> new ShrinkNode(r.k.vmscan, 8, false));
        r.runUntil(2 * MS);
        assertEquals(-1, r.pfnOf(0), "the clean page was reclaimed");
        assertTrue(r.pfnOf(1) >= 0, "the dirty page stays until written");
        assertEquals(1, r.k.vm.vmstat(Vmstat.PGSTEAL));
    }

    @Test
    void truncateUnmapsFreesTheBlocksAndFaultsBeyondEofGetSigbus() {
        Rig r = new Rig();
        UserAccess[] late = new UserAccess[1];
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(6), true))
                .call(() -> new Fsync(r.k.fsWriteback, r.file))
                .then(0, t -> assertTrue(r.fs.mappedBlock(r.file.ino(), 6) >= 0))
                .call(() -> new TruncatePages(r.k.truncate, r.file, 4))
                .call(() -> late[0] = new UserAccess(r.k.memory, r.mm, r.vpn(6), true));
        r.runUntil(10 * MS);
        assertEquals(-1, r.pfnOf(6));
        assertEquals(0, r.map.pte[6] & Vma.PTE_PRESENT);
        assertEquals(-1, r.fs.mappedBlock(r.file.ino(), 6), "blocks freed");
        assertEquals(HandleMmFault.SIGBUS, late[0].result);
    }

    @Test
    void allocationBelowTheLowWatermarkWakesKswapdWhichRestoresTheHighOne() {
        Rig r = new Rig(512, 508, Map.of());
        long low = r.k.phys.watermark(Zone.NORMAL, Watermark.LOW);
        Script s = r.task("app");
        for (int i = 0; i < 508; i++) {
            int index = i;
            s.call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(index), false)); // clean page-cache pages
        }
        r.runUntil(50 * MS);
        assertTrue(low > 512 - 508, "the reads must cross the low watermark for this test to mean anything");
        assertTrue(r.k.vm.vmstat(Vmstat.PGSCAN_KSWAPD) > 0, "kswapd scanned");
        assertTrue(r.k.pageAlloc.balanced(Watermark.HIGH), "free memory back above the high watermark");
    }

    @Test
    void anAllocationThatFindsNothingFreeReclaimsDirectly() {
        Rig r = new Rig(256, 400, Map.of());
        Script s = r.task("app");
        for (int i = 0; i < 400; i++) {
            int index = i;
            s.call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(index), false));
        }
        r.runUntil(50 * MS);
        assertTrue(r.k.vm.vmstat(Vmstat.PGSTEAL) > 0, "pages were reclaimed to make room");
        assertTrue(r.k.vm.vmstat(Vmstat.ALLOCSTALL) + r.k.vm.vmstat(Vmstat.PGSCAN_KSWAPD) > 0);
        assertEquals(0, r.machine.engine().liveTasks(), "all 400 reads completed in 256 frames");
    }

    @Test
    void userPagesPreferTheMovableZoneWhichIsNotLongtermPinnable() {
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(new MemoryLayout(1024, 1024, 10, 20, 30)).allocator(new BuddyAllocatorService()).build();
        Kernel k = MachineKernel.of(m);
        int user = k.pageAlloc.allocUserPage();
        int kernelPage = k.pageAlloc.allocPage(Zone.NORMAL);
        assertEquals(Zone.MOVABLE, k.phys.layout().zoneOf(user));
        assertFalse(k.pageAlloc.isLongtermPinnable(user));
        assertTrue(k.pageAlloc.isLongtermPinnable(kernelPage));
    }

    @Test
    void lruIsolatesOldestFirstAndSkipsStaleEntries() {
        FrameStore f = new FrameStore(16);
        Lru lru = new Lru(f);
        lru.add(3);
        lru.add(5);
        lru.add(7);
        lru.remove(5); // leaves a stale entry behind
        lru.add(5); // and a fresh one at the head
        assertEquals(3, lru.size(Lru.INACTIVE_FILE));
        assertEquals(3, lru.isolateTail(Lru.INACTIVE_FILE));
        assertEquals(7, lru.isolateTail(Lru.INACTIVE_FILE), "the stale entry for 5 is skipped");
        assertEquals(5, lru.isolateTail(Lru.INACTIVE_FILE));
        assertEquals(-1, lru.isolateTail(Lru.INACTIVE_FILE));
        f.set(9, PageFlags.SWAPBACKED | PageFlags.ACTIVE);
        lru.add(9);
        assertEquals(1, lru.size(Lru.ACTIVE_ANON));
    }

    @Test
    void compoundPagesKeepFolioMetadataInTheFirstTail() {
        FrameStore f = new FrameStore(1024);
        f.prepCompound(512, 9);
        assertEquals(512, f.compoundHead(512 + 300));
        assertEquals(9, f.folioOrder(512 + 7));
        assertTrue(f.isLarge(1000));
        f.addFolioPincount(512, 3);
        assertEquals(3, f.folioPincount(512));
        f.destroyCompound(512);
        assertEquals(700, f.compoundHead(700));
        assertFalse(f.isLarge(512));
    }

    @Test
    void dirtyTagsComeBackInIndexOrder() {
        AddressSpace as = new AddressSpace(1, 200);
        as.insert(130, 1);
        as.insert(3, 2);
        as.setDirtyTag(130, true);
        as.setDirtyTag(3, true);
        assertEquals(3, as.nextDirty(0));
        assertEquals(130, as.nextDirty(4));
        assertEquals(-1, as.nextDirty(131));
        assertEquals(2, as.nrDirty());
    }

    @Test
    void crossingTheBackgroundDirtyRatioStartsTheFlusherBeforeItsPeriod() {
        Rig r = new Rig(512, 64, Map.of());
        Script s = r.task("app");
        for (int i = 0; i < 60; i++) { // 60 dirty pages of 512 frames: past 10%
            int index = i;
            s.call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(index), true));
        }
        r.runUntil(100 * MS); // far less than the 5 s period
        assertTrue(r.k.vm.vmstat(Vmstat.WRITEBACK_PAGES) > 0, "the flusher ran early");
    }

    @Test
    void punchingAHoleDropsOnlyThatRangeAndItReadsBackAsZeroes() {
        Rig r = new Rig();
        Script s = r.task("app");
        for (int i = 1; i < 6; i++) {
            int index = i;
            s.call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(index), true));
        }
        long[] kept = new long[1];
        s.call(() -> new Fsync(r.k.fsWriteback, r.file))
                .then(0, t -> kept[0] = r.k.frames.token(r.pfnOf(4)))
                .call(() -> TruncatePages.punchHole(r.k.truncate, r.file, 2, 4))
                .then(0, t -> {
                    assertEquals(-1, r.pfnOf(2));
                    assertEquals(-1, r.pfnOf(3));
                    assertEquals(-1, r.fs.mappedBlock(r.file.ino(), 3), "the block went back");
                    assertTrue(r.pfnOf(1) >= 0 && r.pfnOf(4) >= 0, "the neighbours stay");
                    assertEquals(8, r.file.sizePages(), "a hole punch keeps i_size");
                })
                .call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(2), false));
        r.runUntil(10 * MS);
        assertEquals(BlockDevice.ZERO, r.k.frames.token(r.pfnOf(2)), "the hole reads as zeroes");
        assertEquals(kept[0], r.k.frames.token(r.pfnOf(4)));
        assertEquals(0, r.machine.engine().liveTasks(), "the script ran to its end");
    }
}
