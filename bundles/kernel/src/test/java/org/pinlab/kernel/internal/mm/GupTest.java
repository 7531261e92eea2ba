package org.pinlab.kernel.internal.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.kernel.internal.mm.Rig.MS;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.Machine;
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
            app.call(() -> new UserAccess(r.k, r.mm, r.vpn(page), true));
        }
        app.then(0, t -> steps[0] = r.machine.engine().steps())
                .call(() -> gup[0] = new GupFast(r.k, r.mm, r.vpn(0), 8, PIN_W, "vfio"))
                .then(0, t -> steps[1] = r.machine.engine().steps());
        r.runUntil(MS);
        assertEquals(8, gup[0].result);
        assertEquals(1, steps[1] - steps[0] - 1, "one step for the whole walk");
        PinRecord rec = gup[0].record();
        assertEquals(1, r.k.pins().outstanding().size());
        assertEquals(r.pfnOf(7), rec.pfns()[7]);
        assertEquals(8, r.k.pins().pinsAcquired());
        assertTrue(r.k.maybeDmaPinned(r.pfnOf(3)));
    }

    @Test
    void absentPagesFallBackToTheSlowPathWhichFaultsThemIn() {
        Rig r = new Rig(Map.of(), Trackers.merged(), new Picks(), 120_000_000_000L);
        GupFast[] gup = new GupFast[1];
        r.task("app").call(() -> new UserAccess(r.k, r.mm, r.vpn(0), true))
                .call(() -> new UserAccess(r.k, r.mm, r.vpn(1), true))
                .call(() -> gup[0] = new GupFast(r.k, r.mm, r.vpn(0), 6, PIN_W, "vfio"));
        r.runUntil(MS);
        assertEquals(6, gup[0].result);
        assertEquals(1, r.k.pins().outstanding().size(), "the fast and slow parts are one record");
        assertEquals(6, r.k.pins().pinsAcquired(), "each page pinned once");
        assertEquals(6, r.fs.mkwrites, "the write faults went through page_mkwrite");
        r.k.pins().release(gup[0].record(), false);
        assertEquals(r.k.pins().pinsAcquired(), r.k.pins().pinsReleased());
    }

    @Test
    void aLongTermPinMigratesTheMovablePageOutWithItsDataAndBuffers() {
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(new MemoryLayout(1024, 1024, 10, 20, 30)).allocator(new BuddyAllocatorService())
                .pinTracker(Trackers.merged()).build();
        Kernel k = m.kernel();
        Mount mount = k.mount("/mnt", new BufferHeadFs(), Map.of(), 1024);
        Inode file = k.createFile(mount, 2);
        Mm mm = k.newMm("app");
        Vma map = k.mmap(mm, 2, true, true, file, 0);
        int[] before = new int[1];
        long[] token = new long[1];
        GetUserPages[] gup = new GetUserPages[2];
        m.engine().spawn("app", new Script("app")
                .call(() -> new UserAccess(k, mm, map.startVpn(), true))
                .call(() -> new UserAccess(k, mm, map.startVpn() + 1, true))
                .then(0, t -> {
                    before[0] = file.mapping.lookup(0);
                    token[0] = k.frames.token(before[0]);
                    assertEquals(Zone.MOVABLE, k.phys().layout().zoneOf(before[0]));
                })
                .call(() -> gup[0] = GetUserPages.accounted(k, mm, map.startVpn(), 1,
                        Foll.PIN | Foll.WRITE | Foll.LONGTERM, "mlx5_0"))
                .call(() -> gup[1] = GetUserPages.accounted(k, mm, map.startVpn() + 1, 1, Foll.PIN | Foll.WRITE,
                        "nvme0")), 0);
        m.runUntil(MS);
        int after = file.mapping.lookup(0);
        assertNotEquals(before[0], after);
        assertEquals(Zone.NORMAL, k.phys().layout().zoneOf(after));
        assertEquals(after, gup[0].pages()[0], "the pin holds the new page");
        assertEquals(after, map.pfn[0], "the PTE points at the new page");
        assertEquals(token[0], k.frames.token(after), "the data moved");
        assertTrue(k.frames.test(after, org.pinlab.api.mm.PageFlags.PRIVATE), "and the buffers with it");
        assertTrue(k.frames.test(before[0], org.pinlab.api.mm.PageFlags.BUDDY), "the old page was freed");
        assertEquals(1, k.vmstat(Vmstat.PGMIGRATE_SUCCESS));
        assertEquals(Zone.MOVABLE, k.phys().layout().zoneOf(gup[1].pages()[0]), "a short-term pin stays put");
        assertFalse(m.engine().stopped());
    }

    @Test
    void pinningATransparentHugePageCountsEverySubpageOnTheFolio() {
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService())
                .pinTracker(Trackers.merged()).build();
        Kernel k = m.kernel();
        Mm mm = k.newMm("app");
        Vma v = k.mmap(mm, 1024, false, true, null, 0);
        k.populateAnon(mm, v, true);
        int head = v.pfn[0];
        assertEquals(head, k.frames.compoundHead(v.pfn[511]));
        assertEquals(9, k.frames.folioOrder(v.pfn[300]));
        GupFast[] gup = new GupFast[1];
        m.engine().spawn("vfio", new Script("pin").call(() -> gup[0] = new GupFast(k, mm, v.startVpn(), 1024,
                Foll.PIN | Foll.WRITE | Foll.LONGTERM, "vfio")), 0);
        m.runUntil(MS);
        assertEquals(1024, gup[0].result);
        assertEquals(512, k.frames.folioPincount(head), "merged: the exact count, one per subpage");
        assertEquals(512 + 512, k.frames.refcount(head), "512 PTE references plus one per subpage pin");
        k.pins().release(gup[0].record(), false);
        assertEquals(0, k.frames.folioPincount(head));
        assertEquals(512, k.frames.refcount(head));
    }
}
