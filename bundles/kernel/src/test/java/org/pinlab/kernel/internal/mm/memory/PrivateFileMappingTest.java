package org.pinlab.kernel.internal.mm.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.kernel.internal.Rig.MS;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.fs.dax.internal.DaxType;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.Picks;
import org.pinlab.kernel.internal.Rig;
import org.pinlab.kernel.internal.Trackers;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.block.BlockDevice;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.gup.GetUserPages;
import org.pinlab.sim.Schedulers;
import org.pinlab.strategies.internal.admission.RefuseLongtermFileWritePins;

/**
 * MAP_PRIVATE file mappings (mm/memory.c, v6.12): a write breaks COW into an anonymous copy
 * ({@code do_cow_fault}, {@code wp_page_copy}) and never reaches the file; a read-only
 * long-term pin unshares first ({@code gup_must_unshare}); {@code mprotect} takes VM_WRITE away.
 */
class PrivateFileMappingTest {

    private static final int PIN_LONGTERM = Foll.PIN | Foll.LONGTERM;

    private static Rig rig() {
        return new Rig(Map.of(), Trackers.merged(), new Picks().admission(new RefuseLongtermFileWritePins()),
                120_000_000_000L);
    }

    private static Vma mapPrivate(Rig r) {
        return r.k.mmap.mmap(r.mm, 8, false, true, r.file, 0); // do_mmap(MAP_PRIVATE, PROT_READ|PROT_WRITE)
    }

    private static int access(Rig r, Vma v, int page, boolean write) {
        UserAccess[] a = new UserAccess[1];
        r.task("app").call(() -> a[0] = new UserAccess(r.k.memory, r.mm, v.startVpn() + page, write));
        r.runUntil(r.machine.engine().now() + MS);
        return a[0].result;
    }

    @Test
    void doCowFaultGivesAFirstWriteAnAnonymousCopyAndLeavesTheFileAlone() {
        Rig r = rig();
        Vma v = mapPrivate(r);
        assertEquals(HandleMmFault.OK, access(r, v, 0, true));
        int copy = v.pfnAt(0);
        assertTrue(r.k.frames.test(copy, PageFlags.ANON), PageFlags.describe(r.k.frames.flags(copy)));
        assertTrue((v.pte[0] & Vma.PTE_WRITE) != 0);
        int cached = r.pfnOf(0);
        assertNotEquals(copy, cached, "filemap_fault read the file page; the PTE maps the copy");
        assertFalse(r.k.frames.test(cached, PageFlags.DIRTY), "the file page stays clean");
        assertEquals(0, r.k.frames.mapcount(cached));
        assertEquals(0, r.fs.mkwrites, "no page_mkwrite: the write never reaches the file");
        assertEquals(0, r.k.vm.vmstat(Vmstat.NR_FILE_DIRTY));
    }

    @Test
    void wpPageCopyReplacesAPageCachePageThatAReadMappedReadOnly() {
        Rig r = rig();
        Vma v = mapPrivate(r);
        assertEquals(HandleMmFault.OK, access(r, v, 1, false));
        int cached = v.pfnAt(1);
        assertEquals(r.pfnOf(1), cached, "a read maps the page-cache page itself, read-only");
        assertEquals(1, r.k.frames.mapcount(cached));
        long data = r.k.frames.token(cached);
        assertEquals(HandleMmFault.OK, access(r, v, 1, true));
        int copy = v.pfnAt(1);
        assertNotEquals(cached, copy);
        assertTrue(r.k.frames.test(copy, PageFlags.ANON));
        assertEquals(0, r.k.frames.mapcount(cached), "folio_remove_rmap_pte on the old page");
        assertEquals(data, r.k.frames.token(cached), "the store went to the copy");
        assertFalse(r.k.frames.test(cached, PageFlags.DIRTY));
        assertEquals(HandleMmFault.OK, access(r, v, 1, true));
        assertEquals(copy, v.pfnAt(1), "the copy is reused (wp_page_reuse), not copied again");
    }

    @Test
    void gupMustUnshareAReadOnlyLongtermPinOfAPageCachePageInAPrivateMapping() {
        Rig r = rig();
        Vma v = mapPrivate(r);
        assertEquals(HandleMmFault.OK, access(r, v, 2, false));
        int cached = v.pfnAt(2);
        GetUserPages[] gup = new GetUserPages[1];
        r.task("pinner").call(() -> gup[0] = GetUserPages.accounted(r.k.gup, r.mm, v.startVpn() + 2, 1, PIN_LONGTERM,
                "gup_longterm"));
        r.runUntil(r.machine.engine().now() + MS);
        assertEquals(1, gup[0].result);
        int pinned = gup[0].pages()[0];
        assertNotEquals(cached, pinned, "FAULT_FLAG_UNSHARE broke COW before the pin");
        assertTrue(r.k.frames.test(pinned, PageFlags.ANON));
        assertEquals(pinned, v.pfnAt(2));
        assertEquals(0, v.pte[2] & Vma.PTE_WRITE, "an unshare leaves the PTE read-only");
        assertFalse(r.k.pins.maybeDmaPinned(cached));
        assertTrue(r.k.pins.maybeDmaPinned(pinned));
    }

    @Test
    void aShortTermReadOnlyPinOfAPrivateMappingPinsThePageCachePageItself() {
        Rig r = rig();
        Vma v = mapPrivate(r);
        assertEquals(HandleMmFault.OK, access(r, v, 3, false));
        GetUserPages[] gup = new GetUserPages[1];
        r.task("pinner").call(() -> gup[0] = GetUserPages.accounted(r.k.gup, r.mm, v.startVpn() + 3, 1, Foll.PIN,
                "o_direct"));
        r.runUntil(r.machine.engine().now() + MS);
        assertEquals(1, gup[0].result);
        assertEquals(r.pfnOf(3), gup[0].pages()[0], "gup_must_unshare only cares about FOLL_LONGTERM here");
    }

    @Test
    void writableFileMappingAllowedLetsALongtermWritePinOfAPrivateMappingThrough() {
        Rig r = rig();
        Vma v = mapPrivate(r);
        GetUserPages[] priv = new GetUserPages[1];
        GetUserPages[] shared = new GetUserPages[1];
        r.task("pinner").call(() -> priv[0] = GetUserPages.accounted(r.k.gup, r.mm, v.startVpn() + 4, 1,
                        PIN_LONGTERM | Foll.WRITE, "rdma"))
                .call(() -> shared[0] = GetUserPages.accounted(r.k.gup, r.mm, r.vpn(4), 1, PIN_LONGTERM | Foll.WRITE,
                        "rdma"));
        r.runUntil(MS);
        assertEquals(1, priv[0].result, "MAP_PRIVATE: no dirty tracking, the fault breaks COW");
        assertTrue(r.k.frames.test(priv[0].pages()[0], PageFlags.ANON));
        assertEquals(Errno.EFAULT.negative(), shared[0].result, "MAP_SHARED ext4-like: refused (v6.5)");
        assertEquals(0, r.fs.mkwrites, "neither reached page_mkwrite");
    }

    @Test
    void mprotectReadOnlyWriteProtectsThePtesAndAStoreThenFaultsWithSigsegv() {
        Rig r = rig();
        Vma v = mapPrivate(r);
        assertEquals(HandleMmFault.OK, access(r, v, 5, true));
        r.k.mmap.mprotect(v, false);
        assertFalse(v.writable);
        assertEquals(0, v.pte[5] & Vma.PTE_WRITE);
        assertEquals(HandleMmFault.OK, access(r, v, 5, false));
        assertEquals(HandleMmFault.SIGSEGV, access(r, v, 5, true));
    }

    @Test
    void mprotectIsRefusedWhereADeviceWatchesTheVma() {
        Rig r = rig();
        r.map.watched = new java.util.ArrayList<>(java.util.List.of(r.k.userBuffer("mr0", r.mm, r.map, 0, 1)));
        assertThrows(IllegalStateException.class, () -> r.k.mmap.mprotect(r.map, false));
    }

    @Test
    void daxFaultCowPageCopiesThePmemBlockAndAllocatesNothing() {
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService())
                .pinTracker(Trackers.merged()).build();
        Kernel k = MachineKernel.of(m);
        Mount pmem = k.mounts.mount("/pmem", new DaxType(), Map.of(), 16);
        Inode file = k.filemap.createFile(pmem, 2);
        Mm mm = k.mmap.newMm("app");
        Vma v = k.mmap.mmap(mm, 2, false, true, file, 0);
        UserAccess[] store = new UserAccess[1];
        m.engine().spawn("app", new org.pinlab.kernel.internal.Script("app")
                .call(() -> store[0] = new UserAccess(k.memory, mm, v.startVpn(), true)), 0);
        m.runUntil(MS);
        assertEquals(HandleMmFault.OK, store[0].result);
        int copy = v.pfnAt(0);
        assertTrue(k.frames.test(copy, PageFlags.ANON));
        assertFalse(k.zoneDevice.isPmem(copy));
        assertEquals(-1, pmem.superblock().mappedBlock(file.ino, 0), "a hole stays a hole: nothing was allocated");
        assertNotEquals(BlockDevice.ZERO, k.frames.token(copy), "the store landed in the copy");
    }
}
