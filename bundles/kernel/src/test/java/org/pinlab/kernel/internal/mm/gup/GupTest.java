package org.pinlab.kernel.internal.mm.gup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.pinlab.kernel.internal.Rig.MS;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.FolioCounters;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.BufferHeadFs;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.Picks;
import org.pinlab.kernel.internal.Rig;
import org.pinlab.kernel.internal.Script;
import org.pinlab.kernel.internal.Trackers;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.HandleMmFault;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.sim.Schedulers;

/** The GUP entry points through pin accounting: fast path, slow fallback, long-term migration. */
class GupTest {

    private static final int PIN_W = Foll.PIN | Foll.WRITE;

    @Test
    void theFastPathTakesAPresentRangeInOneStepAndRecordsItOnce() {
        Rig r = new Rig(Map.of(), Trackers.merged(), new Picks(), 120_000_000_000L);
        GupFast[] gup = new GupFast[1];
        long[] steps = new long[2];
        Script app = r.task("app");
        for (int i = 0; i < 8; i++) {
            int page = i;
            app.call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(page), true));
        }
        app.then(0, t -> steps[0] = r.machine.engine().steps())
                .call(() -> gup[0] = new GupFast(r.k.gup, r.mm, r.vpn(0), 8, PIN_W, "vfio"))
                .then(0, t -> steps[1] = r.machine.engine().steps());
        r.runUntil(MS);
        assertEquals(8, gup[0].result);
        assertEquals(1, steps[1] - steps[0] - 1, "one step for the whole walk");
        PinRecord rec = gup[0].record();
        assertEquals(1, r.k.pins.accounting().outstanding().size());
        assertEquals(r.pfnOf(7), rec.pfns()[7]);
        assertEquals(8, r.k.pins.accounting().pinsAcquired());
        assertTrue(r.k.pins.maybeDmaPinned(r.pfnOf(3)));
    }

    /**
     * {@code faultin_page} turns the fault's result into an errno with {@code vm_fault_to_errno}
     * (include/linux/mm.h, v6.12): VM_FAULT_OOM gives -ENOMEM, VM_FAULT_SIGBUS and
     * VM_FAULT_SIGSEGV give -EFAULT; {@code __get_user_pages} returns it when it pinned nothing.
     */
    @Test
    void vmFaultToErrnoGivesEnomemWhenTheFaultRanOutOfMemory() {
        Rig r = new Rig(Map.of(), Trackers.merged(), new Picks(), 120_000_000_000L);
        int free = (int) r.k.vm.vmstat(Vmstat.NR_FREE_PAGES);
        Vma hog = r.k.mmap.mmap(r.mm, free, false, true, null, 0);
        r.k.mmap.populateAnon(r.mm, hog, false); // every free frame now holds an anonymous page: no swap
        GetUserPages[] gup = new GetUserPages[1];
        r.task("app").call(() -> gup[0] = GetUserPages.accounted(r.k.gup, r.mm, r.vpn(0), 1, PIN_W, "vfio"));
        r.runUntil(MS);
        assertEquals(Errno.ENOMEM.negative(), gup[0].result, Errno.describe(gup[0].result));
        assertEquals(Errno.ENOMEM.negative(), GetUserPages.vmFaultToErrno(HandleMmFault.OOM, PIN_W));
        assertEquals(Errno.EFAULT.negative(), GetUserPages.vmFaultToErrno(HandleMmFault.SIGBUS, PIN_W));
        assertEquals(Errno.EFAULT.negative(), GetUserPages.vmFaultToErrno(HandleMmFault.SIGSEGV, PIN_W));
    }

    @Test
    void absentPagesFallBackToTheSlowPathWhichFaultsThemIn() {
        Rig r = new Rig(Map.of(), Trackers.merged(), new Picks(), 120_000_000_000L);
        GupFast[] gup = new GupFast[1];
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(1), true))
                .call(() -> gup[0] = new GupFast(r.k.gup, r.mm, r.vpn(0), 6, PIN_W, "vfio"));
        r.runUntil(MS);
        assertEquals(6, gup[0].result);
        assertEquals(1, r.k.pins.accounting().outstanding().size(), "the fast and slow parts are one record");
        assertEquals(6, r.k.pins.accounting().pinsAcquired(), "each page pinned once");
        assertEquals(6, r.fs.mkwrites, "the write faults went through page_mkwrite");
        r.k.pins.accounting().release(gup[0].record(), false);
        assertEquals(r.k.pins.accounting().pinsAcquired(), r.k.pins.accounting().pinsReleased());
    }

    @Test
    void aLongTermPinMigratesTheMovablePageOutWithItsDataAndBuffers() {
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(new MemoryLayout(1024, 1024, 10, 20, 30)).allocator(new BuddyAllocatorService())
                .pinTracker(Trackers.merged()).build();
        Kernel k = MachineKernel.of(m);
        Mount mount = k.mounts.mount("/mnt", new BufferHeadFs(), Map.of(), 1024);
        Inode file = k.filemap.createFile(mount, 2);
        Mm mm = k.mmap.newMm("app");
        Vma map = k.mmap.mmap(mm, 2, true, true, file, 0);
        int[] before = new int[1];
        long[] token = new long[1];
        GetUserPages[] gup = new GetUserPages[2];
        m.engine().spawn("app", new Script("app")
                .call(() -> new UserAccess(k.memory, mm, map.startVpn(), true))
                .call(() -> new UserAccess(k.memory, mm, map.startVpn() + 1, true))
                .then(0, t -> {
                    before[0] = file.mapping.lookup(0);
                    token[0] = k.frames.token(before[0]);
                    assertEquals(Zone.MOVABLE, k.phys.layout().zoneOf(before[0]));
                })
                .call(() -> gup[0] = GetUserPages.accounted(k.gup, mm, map.startVpn(), 1,
                        Foll.PIN | Foll.WRITE | Foll.LONGTERM, "mlx5_0"))
                .call(() -> gup[1] = GetUserPages.accounted(k.gup, mm, map.startVpn() + 1, 1, Foll.PIN | Foll.WRITE,
                        "nvme0")), 0);
        m.runUntil(MS);
        int after = file.mapping.lookup(0);
        assertNotEquals(before[0], after);
        assertEquals(Zone.NORMAL, k.phys.layout().zoneOf(after));
        assertEquals(after, gup[0].pages()[0], "the pin holds the new page");
        assertEquals(after, map.pfn[0], "the PTE points at the new page");
        assertEquals(token[0], k.frames.token(after), "the data moved");
        assertTrue(k.frames.test(after, org.pinlab.api.mm.PageFlags.PRIVATE), "and the buffers with it");
        assertTrue(k.frames.test(before[0], org.pinlab.api.mm.PageFlags.BUDDY), "the old page was freed");
        assertEquals(1, k.vm.vmstat(Vmstat.PGMIGRATE_SUCCESS));
        assertEquals(Zone.MOVABLE, k.phys.layout().zoneOf(gup[1].pages()[0]), "a short-term pin stays put");
        assertFalse(m.engine().stopped());
    }

    @Test
    void pinningATransparentHugePageCountsEverySubpageOnTheFolio() {
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService())
                .pinTracker(Trackers.merged()).build();
        Kernel k = MachineKernel.of(m);
        Mm mm = k.mmap.newMm("app");
        Vma v = k.mmap.mmap(mm, 1024, false, true, null, 0);
        k.mmap.populateAnon(mm, v, true);
        int head = v.pfn[0];
        assertEquals(head, k.frames.compoundHead(v.pfn[511]));
        assertEquals(9, k.frames.folioOrder(v.pfn[300]));
        GupFast[] gup = new GupFast[1];
        m.engine().spawn("vfio", new Script("pin").call(() -> gup[0] = new GupFast(k.gup, mm, v.startVpn(), 1024,
                Foll.PIN | Foll.WRITE | Foll.LONGTERM, "vfio")), 0);
        m.runUntil(MS);
        assertEquals(1024, gup[0].result);
        assertEquals(512, k.frames.folioPincount(head), "merged: the exact count, one per subpage");
        assertEquals(512 + 512, k.frames.refcount(head), "512 PTE references plus one per subpage pin");
        k.pins.accounting().release(gup[0].record(), false);
        assertEquals(0, k.frames.folioPincount(head));
        assertEquals(512, k.frames.refcount(head));
    }

    /** One {@code __get_user_pages} call over pages [100, 800) of a 1024-page anonymous mapping, THP-backed or not. */
    private record SlowWalk(Machine m, Vma v, GetUserPages gup, long steps, long ns, GrabLog log) {
    }

    private static SlowWalk slowWalk(PinTracker layout, boolean thp, BiConsumer<Kernel, Vma> before) {
        GrabLog log = new GrabLog(layout);
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService())
                .pinTracker(log).build();
        Kernel k = MachineKernel.of(m);
        Mm mm = k.mmap.newMm("app");
        Vma v = k.mmap.mmap(mm, 1024, false, true, null, 0);
        k.mmap.populateAnon(mm, v, thp);
        before.accept(k, v);
        GetUserPages[] gup = new GetUserPages[1];
        long[] at = new long[4];
        m.engine().spawn("reg-mr", new Script("reg-mr")
                .then(0, t -> {
                    at[0] = m.engine().steps();
                    at[1] = m.engine().now();
                })
                .call(() -> gup[0] = GetUserPages.accounted(k.gup, mm, v.startVpn() + 100, 700,
                        Foll.PIN | Foll.WRITE | Foll.LONGTERM, "mlx5_0"))
                .then(0, t -> {
                    at[2] = m.engine().steps();
                    at[3] = m.engine().now();
                }), 0);
        m.runUntil(MS);
        return new SlowWalk(m, v, gup[0], at[2] - at[0], at[3] - at[1], log);
    }

    @Test
    void theSlowPathGrabsEachRunOfAHugePageOnceAndStillChargesEverySubpage() {
        SlowWalk small = slowWalk(Trackers.merged(), false, (k, v) -> { });
        SlowWalk thp = slowWalk(Trackers.merged(), true, (k, v) -> { });
        FrameStore frames = MachineKernel.of(thp.m()).frames;
        int head0 = thp.v().pfn[0];
        int head1 = thp.v().pfn[512];
        assertEquals(700, thp.gup().result);
        assertEquals(2, thp.log().calls.size(), "one try_grab_folio per huge page the range touches");
        assertEquals(List.of("tryGrabHugePmd " + (head0 + 100) + " x412", "tryGrabHugePmd " + head1 + " x288"),
                thp.log().calls, "page_increm: the rest of the first huge page, then the start of the second");
        assertEquals(412, frames.folioPincount(head0));
        assertEquals(288, frames.folioPincount(head1));
        assertEquals(head0 + 511, thp.gup().pages()[411]);
        assertEquals(head1, thp.gup().pages()[412]);
        assertEquals(1, MachineKernel.of(thp.m()).pins.accounting().outstanding().size());

        assertEquals(700, small.gup().result);
        assertEquals(700, small.log().calls.size(), "small pages: one try_grab_folio each");
        assertTrue(small.log().calls.stream().allMatch(c -> c.startsWith("tryGrabFolio ") && c.endsWith(" x1")),
                small.log().calls.get(0));
        assertEquals(small.steps() - 698, thp.steps(), "two steps for the two runs instead of 700");
        assertEquals(small.ns(), thp.ns(), "the same simulated time: the cost table's CPU step per page");
        assertTrue(small.ns() >= 700 * MachineKernel.of(thp.m()).costs.ns(Cost.CPU_STEP), small.ns() + " ns");
    }

    @Test
    void aRefusedFolioRunEndsTheWalkWhichReturnsAndRecordsThePagesBeforeIt() {
        // under the Dec 2019 layout the second huge page's head wraps after 101 more pins, not 288
        SlowWalk w = slowWalk(Trackers.follPin2019(), true,
                (k, v) -> k.frames.setRefcount(v.pfn[512], Integer.MAX_VALUE - 100 * 1024));
        FrameStore frames = MachineKernel.of(w.m()).frames;
        int head0 = w.v().pfn[0];
        int head1 = w.v().pfn[512];
        // __get_user_pages: "return i ? i : ret;" -- the first run's 412 pages, not -ENOMEM
        assertEquals(412, w.gup().result);
        assertEquals(List.of("tryGrabHugePmd " + (head0 + 100) + " x412", "tryGrabHugePmd " + head1 + " x288"),
                w.log().calls, "nothing is given back: the caller unpins what it got");
        assertEquals(512 + 412 * 1024, frames.refcount(head0), "the first run's pins are the caller's");
        assertEquals(Integer.MAX_VALUE - 100 * 1024, frames.refcount(head1), "the refused run took nothing");
        assertEquals(List.of("WARN_ON_ONCE(page_ref_count(head) < 0)"),
                w.m().findings().stream().map(f -> f.message()).toList());
        PinRecord r = MachineKernel.of(w.m()).pins.accounting().outstanding().get(0);
        assertEquals(412, r.pfns().length);
        assertEquals(head0 + 100, r.pfns()[0]);
    }

    /** A machine with one anonymous mapping of {@code pages}, populated with THPs where whole ones fit. */
    private record Thp(Machine m, Kernel k, Mm mm, Vma v, GrabLog log) {
    }

    private static Thp thp(int pages) {
        GrabLog log = new GrabLog(Trackers.merged());
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService()).pinTracker(log).build();
        Kernel k = MachineKernel.of(m);
        Mm mm = k.mmap.newMm("app");
        Vma v = k.mmap.mmap(mm, pages, false, true, null, 0);
        k.mmap.populateAnon(mm, v, true);
        return new Thp(m, k, mm, v, log);
    }

    @Test
    void pinUserPagesReturnsHowManyItPinnedWhenItStopsPartWayAndAnErrnoOnlyWhenItPinnedNone() {
        // __get_user_pages (mm/gup.c, v6.12): "return i ? i : ret;" -- here the range runs
        // past the end of the VMA, find_vma finds nothing, ret is -EFAULT after 100 pages
        Thp t = thp(1124);
        GetUserPages[] gup = new GetUserPages[2];
        long end = t.v().startVpn() + t.v().pages();
        t.m().engine().spawn("reg-mr", new Script("reg-mr")
                .call(() -> gup[0] = GetUserPages.accounted(t.k().gup, t.mm(), end - 100, 300, Foll.PIN | Foll.WRITE,
                        "mlx5_0"))
                .call(() -> gup[1] = GetUserPages.accounted(t.k().gup, t.mm(), end, 10, Foll.PIN | Foll.WRITE,
                        "mlx5_0")), 0);
        t.m().runUntil(MS);
        assertEquals(100, gup[0].result, "the pages it pinned, not -EFAULT");
        assertEquals(100, gup[0].record().pfns().length, "and those are the pages the caller must unpin");
        assertEquals(t.v().pfn[t.v().pages() - 100], gup[0].record().pfns()[0]);
        assertEquals(100, t.k().vm.vmstat(Vmstat.NR_FOLL_PIN_ACQUIRED));
        assertEquals(Errno.EFAULT.negative(), gup[1].result, "nothing pinned: the errno");
        assertNull(gup[1].record());
        assertEquals(1, t.k().pins.accounting().outstanding().size());
    }

    @Test
    void pinUserPagesFastReturnsTheFastPartWhenTheSlowPathFailsOnTheRest() {
        // gup_fast_fallback (v6.12): "if (ret < 0) { if (nr_pinned) return nr_pinned; return ret; }"
        Thp t = thp(1124);
        long end = t.v().startVpn() + t.v().pages();
        GupFast[] gup = new GupFast[1];
        t.m().engine().spawn("vfio", new Script("pin").call(() -> gup[0] = new GupFast(t.k().gup, t.mm(),
                end - 40, 64, Foll.PIN | Foll.WRITE, "vfio")), 0);
        t.m().runUntil(MS);
        assertEquals(40, gup[0].result);
        assertEquals(40, gup[0].record().pfns().length);
        assertEquals(40, t.k().vm.vmstat(Vmstat.NR_FOLL_PIN_ACQUIRED));
        assertEquals(0, t.k().vm.vmstat(Vmstat.NR_FOLL_PIN_RELEASED), "what it pinned stays pinned for the caller");
    }

    @Test
    void populatingThpsMapsEachWholeHugePageByOnePmdLeaf() {
        Thp t = thp(1024 + 100);
        assertTrue(t.v().isPmdLeaf(0));
        assertTrue(t.v().isPmdLeaf(512));
        assertTrue(t.v().pmdLeafHolds(0, t.k().frames) && t.v().pmdLeafHolds(512, t.k().frames));
        for (int s = 1; s < t.v().pages(); s++) {
            assertEquals(s == 512, t.v().isPmdLeaf(s), "slot " + s);
        }
        assertEquals(512, GetUserPages.pmdLeafRun(t.k().gup, t.v(), 0, 4096), "a whole leaf from its first slot");
        assertEquals(212, GetUserPages.pmdLeafRun(t.k().gup, t.v(), 300, 4096), "the rest of the leaf from inside it");
        assertEquals(10, GetUserPages.pmdLeafRun(t.k().gup, t.v(), 300, 10), "at most what the call asks");
        assertEquals(0, GetUserPages.pmdLeafRun(t.k().gup, t.v(), 1030, 4096), "the small pages of the tail are no leaf");
    }

    @Test
    void mapPmdLeafRefusesSlotsThatDoNotMapOneHugePageWhole() {
        Thp t = thp(1024 + 100);
        FrameStore frames = t.k().frames;
        assertThrows(IllegalStateException.class, () -> t.v().mapPmdLeaf(1, frames), "not the folio's start");
        assertThrows(IllegalStateException.class, () -> t.v().mapPmdLeaf(1024, frames), "small pages");
        t.v().splitPmd(700);
        t.v().pte[700] &= ~Vma.PTE_YOUNG; // folio_referenced would clear it so
        assertThrows(IllegalStateException.class, () -> t.v().mapPmdLeaf(512, frames), "one PTE lacks a bit");
        assertFalse(t.v().isPmdLeaf(512));
        assertTrue(t.v().isPmdLeaf(0));
    }

    @Test
    void splittingOnePmdLeafLeavesItsNeighboursAlone() {
        Thp t = thp(3 * 512);
        t.v().splitPmd(511);
        assertFalse(t.v().isPmdLeaf(0), "slot 511 is the first leaf's last");
        assertTrue(t.v().isPmdLeaf(512));
        assertTrue(t.v().isPmdLeaf(1024));
        t.v().splitPmds(1024, 1025);
        assertTrue(t.v().isPmdLeaf(512), "slot 1024 is the third leaf's first");
        assertFalse(t.v().isPmdLeaf(1024));
        t.v().splitPmds(0, t.v().pages());
        assertFalse(t.v().isPmdLeaf(512));
    }

    /** Two huge pages mapped by PMD leaves, then the PTE of slot 700 (in the second) zapped. */
    private static Thp twoHugePagesWithSlot700Zapped() {
        Thp t = thp(1024);
        t.k().rmap.zapPte(t.v(), t.v().startVpn() + 700, t.v().pfn[700]);
        return t;
    }

    @Test
    void aHwpoisonedPteFaultsWithVmFaultHwpoisonWhichGupReturnsAsEhwpoisonOnlyWithFollHwpoison() {
        // madvise(MADV_HWPOISON) -> memory_failure: the PTE becomes a hwpoison entry; the next
        // fault is do_swap_page's VM_FAULT_HWPOISON, and vm_fault_to_errno (v6.12) gives
        // -EHWPOISON with FOLL_HWPOISON (get_dump_page, KVM's hva_to_pfn_slow), else -EFAULT
        Thp t = thp(1024);
        Vma v = t.v();
        int victim = v.pfn[600];
        int head = t.k().frames.compoundHead(victim);
        int refs = t.k().frames.refcount(head);
        GetUserPages[] gup = new GetUserPages[3];
        t.m().engine().spawn("app", new Script("app")
                .call(() -> t.k().mmap.madviseHwpoison(t.mm(), v, 600, 601))
                .call(() -> gup[0] = GetUserPages.accounted(t.k().gup, t.mm(), v.startVpn() + 600, 1,
                        Foll.PIN | Foll.HWPOISON, "kvm"))
                .call(() -> gup[1] = GetUserPages.accounted(t.k().gup, t.mm(), v.startVpn() + 600, 1, Foll.PIN,
                        "vfio"))
                .call(() -> gup[2] = GetUserPages.accounted(t.k().gup, t.mm(), v.startVpn() + 590, 20, Foll.PIN,
                        "vfio")), 0);
        t.m().runUntil(MS);
        assertTrue(t.k().frames.test(victim, org.pinlab.api.mm.PageFlags.HWPOISON), "SetPageHWPoison");
        assertEquals(0, v.pte[600] & Vma.PTE_PRESENT, "unmapped");
        assertFalse(v.isPmdLeaf(512), "memory_failure split the huge PMD first");
        assertEquals(Errno.EHWPOISON.negative(), gup[0].result);
        assertEquals(Errno.EFAULT.negative(), gup[1].result);
        assertEquals(10, gup[2].result, "the pages before the poisoned one");
        assertEquals(refs + 10, t.k().frames.refcount(head), "the PTE's reference went, memory_failure's stays"
                + " (the page never goes back to the allocator), and the 10 pins of the short call are there");
    }

    @Test
    void madviseDontneedOfPartOfAHugePmdSplitsItIntoPtesAndKeepsTheFolioWhole() {
        // madvise_dontneed_single_vma -> zap_page_range_single -> zap_pmd_range (v6.12):
        // __split_huge_pmd when next - addr != HPAGE_PMD_SIZE, then the one PTE is zapped
        Thp t = thp(1024);
        Vma v = t.v();
        int head1 = v.pfn[512];
        int refs = t.k().frames.refcount(head1);
        t.m().engine().spawn("app", new Script("app").call(() -> t.k().mmap.madviseDontneed(t.mm(), v, 512, 513)), 0);
        t.m().runUntil(MS);
        assertFalse(v.isPmdLeaf(512), "the covered huge PMD is split");
        assertTrue(v.isPmdLeaf(0), "the other one keeps its leaf");
        assertEquals(0, v.pte[512] & Vma.PTE_PRESENT, "the page is unmapped");
        assertEquals(head1 + 1, v.pfn[513], "the rest is mapped by PTEs, subpage by subpage");
        assertTrue(t.k().frames.isLarge(head1), "the folio stays whole");
        assertEquals(refs - 1, t.k().frames.refcount(head1), "the zapped PTE's reference goes");
        assertThrows(IllegalArgumentException.class, () -> t.k().mmap.madviseDontneed(t.mm(), v, 10, 10));
    }

    @Test
    void zappingOnePteSplitsItsPmdLeafAndGupThenTakesTheNewPage() {
        Thp t = twoHugePagesWithSlot700Zapped();
        Vma v = t.v();
        int head1 = v.pfn[512];
        assertFalse(v.isPmdLeaf(512), "a PTE of the leaf changed: the leaf is gone");
        assertTrue(v.isPmdLeaf(0), "the other huge page keeps its leaf");
        assertEquals(0, GetUserPages.pmdLeafRun(t.k().gup, v, 600, 4096));
        assertEquals(100, GetUserPages.folioRun(t.k().gup, v, 600, 4096, true), "the walk reads the PTEs again");

        GetUserPages[] gup = new GetUserPages[1];
        t.m().engine().spawn("reg-mr", new Script("reg-mr").call(() -> gup[0] = GetUserPages.accounted(t.k().gup, t.mm(),
                v.startVpn() + 512, 512, Foll.PIN | Foll.WRITE | Foll.LONGTERM, "mlx5_0")), 0);
        t.m().runUntil(MS);
        assertEquals(512, gup[0].result);
        int fresh = v.pfn[700];
        assertNotEquals(head1 + 188, fresh, "the hole was faulted in with a new page");
        assertFalse(t.k().frames.isLarge(fresh));
        assertEquals(fresh, gup[0].pages()[188], "and GUP took that page, not the old subpage");
        assertEquals(head1 + 187, gup[0].pages()[187]);
        assertEquals(head1 + 189, gup[0].pages()[189]);
        assertEquals(List.of("tryGrabFolio " + head1 + " x188", "tryGrabFolio " + fresh + " x1",
                "tryGrabFolio " + (head1 + 189) + " x323"), t.log().calls, "three runs around the new page");
        assertEquals(511, t.k().frames.folioPincount(head1));
    }

    @Test
    void theFastPathSeesAZappedPteOfAHugePageToo() {
        Thp t = twoHugePagesWithSlot700Zapped();
        Vma v = t.v();
        int head1 = v.pfn[512];
        GupFast[] gup = new GupFast[1];
        t.m().engine().spawn("vfio", new Script("pin").call(() -> gup[0] = new GupFast(t.k().gup, t.mm(),
                v.startVpn(), 1024, Foll.PIN | Foll.WRITE, "vfio")), 0);
        t.m().runUntil(MS);
        assertEquals(1024, gup[0].result);
        int[] pfns = gup[0].record().pfns();
        assertEquals(v.pfn[700], pfns[700], "the slow path faulted the hole in and took the new page");
        assertNotEquals(head1 + 188, pfns[700]);
        assertEquals("tryGrabHugePmd " + v.pfn[0] + " x512 fast", t.log().calls.get(0), "the intact leaf in one grab");
        assertEquals("tryGrabFolio " + head1 + " x188", t.log().calls.get(1), "the split one up to the hole");
    }

    @Test
    void walksTakeTheSameWithAndWithoutPmdLeaves() {
        SlowWalk leaves = slowWalk(Trackers.merged(), true, (k, v) -> { });
        SlowWalk ptes = slowWalk(Trackers.merged(), true, (k, v) -> v.splitPmds(0, v.pages()));
        assertTrue(leaves.v().isPmdLeaf(512));
        assertFalse(ptes.v().isPmdLeaf(512));
        assertArrayEquals(ptes.gup().pages(), leaves.gup().pages());
        assertEquals(ptes.log().calls, leaves.log().calls.stream()
                .map(c -> c.replace("tryGrabHugePmd", "tryGrabFolio")).toList(), "the same runs, by either path");
        assertEquals(ptes.steps(), leaves.steps());
        assertEquals(ptes.ns(), leaves.ns());
        assertArrayEquals(ptes.v().pte, leaves.v().pte, "FOLL_TOUCH left the same PTE bits");
        assertEquals(ptes.m().engine().traceHash(), leaves.m().engine().traceHash());
    }

    @Test
    void aStaleLeafIsCaughtByTheAssertionsTheTestsRunWith() {
        assumeTrue(GetUserPages.class.desiredAssertionStatus(), "needs -ea, as surefire runs tests");
        Thp t = thp(1024);
        t.v().pte[600] &= ~Vma.PTE_WRITE; // a write that forgot splitPmd
        AssertionError e = assertThrows(AssertionError.class,
                () -> GetUserPages.folioRun(t.k().gup, t.v(), 512, 512, true));
        assertTrue(e.getMessage().contains("stale PMD leaf at slot 512"), e.getMessage());
    }

    @Test
    void aRecordKeepsTheCallersPagesArrayAndCopiesOnlyItsOwn() {
        Thp t = thp(1024);
        int[] mine = new int[512];
        GupFast[] fast = new GupFast[1];
        GetUserPages[] slow = new GetUserPages[2];
        int[] theirs = new int[512];
        t.m().engine().spawn("pin", new Script("pin")
                .call(() -> fast[0] = new GupFast(t.k().gup, t.mm(), t.v().startVpn(), 512, PIN_W, "vfio", mine))
                .call(() -> slow[0] = GetUserPages.accounted(t.k().gup, t.mm(), t.v().startVpn() + 512, 512, PIN_W,
                        "mlx5_0", theirs))
                .call(() -> slow[1] = GetUserPages.accounted(t.k().gup, t.mm(), t.v().startVpn() + 512, 512, PIN_W,
                        "nvme0")), 0);
        t.m().runUntil(MS);
        assertSame(mine, fast[0].record().pfns(), "pin_user_pages_fast filled the caller's pages[]");
        assertEquals(t.v().pfn[511], mine[511]);
        assertSame(theirs, slow[0].record().pfns());
        assertEquals(t.v().pfn[1023], theirs[511]);
        assertNotSame(slow[1].pages(), slow[1].record().pfns(), "its own pages[] is handed out, so copied");
        assertArrayEquals(slow[1].pages(), slow[1].record().pfns());
        assertThrows(IllegalArgumentException.class,
                () -> new GupFast(t.k().gup, t.mm(), t.v().startVpn(), 512, PIN_W, "vfio", new int[511]));
    }

    /** A pin layout that logs every grab and ungrab the kernel asks of it, then does it. */
    private static final class GrabLog implements PinTracker {

        private final PinTracker layout;
        final List<String> calls = new ArrayList<>();

        GrabLog(PinTracker layout) {
            this.layout = layout;
        }

        @Override
        public String name() {
            return layout.name();
        }

        @Override
        public String description() {
            return layout.description();
        }

        @Override
        public PinAccounting create(FolioCounters folios) {
            PinAccounting pins = layout.create(folios);
            return (PinAccounting) Proxy.newProxyInstance(PinAccounting.class.getClassLoader(),
                    new Class<?>[] {PinAccounting.class}, (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("tryGrabFolio") || name.equals("ungrabFolio")) {
                            calls.add(name + " " + args[0] + " x" + args[1]);
                        } else if (name.equals("tryGrabHugePmd")) {
                            calls.add(name + " " + args[0] + " x" + args[1] + ((Boolean) args[3] ? " fast" : ""));
                        } else if (name.equals("tryGrab") || name.equals("ungrab")) {
                            calls.add(name + " " + args[0]);
                        }
                        try {
                            return method.invoke(pins, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
