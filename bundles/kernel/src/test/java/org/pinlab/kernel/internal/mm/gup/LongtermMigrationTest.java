package org.pinlab.kernel.internal.mm.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.kernel.internal.Rig.MS;
import static org.pinlab.kernel.internal.Rig.US;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.Script;
import org.pinlab.kernel.internal.Trackers;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.sim.Schedulers;

/**
 * FOLL_LONGTERM and ZONE_MOVABLE, as 6.12's {@code __gup_longterm_locked} (mm/gup.c) does it:
 * pin the whole range, {@code check_and_migrate_movable_pages} collects the folios that are
 * not {@code folio_is_longterm_pinnable}, and if there are any it unpins everything the call
 * pinned, migrates the collected folios ({@code migrate_pages}, MIGRATE_SYNC, MR_LONGTERM_PIN)
 * and returns -EAGAIN, so the loop pins the range again. That shape (unpin all, -EAGAIN, the
 * collect/migrate split) is 67e139b02d99 "mm/gup.c: refactor check_and_migrate_movable_pages()"
 * (Alistair Popple, v6.1, inferred), unchanged in 6.12.
 */
class LongtermMigrationTest {

    private static final int LONGTERM_W = Foll.PIN | Foll.WRITE | Foll.LONGTERM;
    private static final int PIN_W = Foll.PIN | Foll.WRITE;

    /** One process with an 8-page anonymous mapping on 1024 frames of ZONE_NORMAL and 1024 of ZONE_MOVABLE. */
    private record Box(Machine m, Kernel k, Mm mm, Vma v) {

        static Box of() {
            Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                    .memory(new MemoryLayout(1024, 1024, 10, 20, 30)).allocator(new BuddyAllocatorService())
                    .pinTracker(Trackers.merged()).build();
            Kernel k = MachineKernel.of(m);
            Mm mm = k.mmap.newMm("app");
            return new Box(m, k, mm, k.mmap.mmap(mm, 8, false, true, null, 0));
        }

        long vpn(int page) {
            return v.startVpn() + page;
        }

        /** The application stores to pages [from, to): user memory lands in ZONE_MOVABLE first. */
        Script touch(Script s, int from, int to) {
            for (int i = from; i < to; i++) {
                long vpn = vpn(i);
                s.call(() -> new UserAccess(k.memory, mm, vpn, true));
            }
            return s;
        }

        Zone zone(int pfn) {
            return k.phys.layout().zoneOf(pfn);
        }

        long vmstat(Vmstat item) {
            return k.vm.vmstat(item);
        }
    }

    @Test
    void aLongTermPinOfMovablePagesPinsUnpinsEverythingMigratesAndRetriesUntilNoPageIsInZoneMovable() {
        Box b = Box.of();
        int[] before = new int[4];
        long[] tokens = new long[4];
        GetUserPages[] gup = new GetUserPages[1];
        Script app = b.touch(new Script("app"), 0, 4).then(0, t -> {
            for (int i = 0; i < 4; i++) {
                before[i] = b.v().pfn[i];
                tokens[i] = b.k().frames.token(before[i]);
                assertEquals(Zone.MOVABLE, b.zone(before[i]), "the application's page " + i);
            }
        });
        app.call(() -> gup[0] = GetUserPages.accounted(b.k().gup, b.mm(), b.vpn(0), 8, LONGTERM_W, "mlx5_0"));
        b.m().engine().spawn("app", app, 0);
        b.m().runUntil(MS);

        assertEquals(8, gup[0].result, Errno.describe(gup[0].result));
        PinRecord rec = gup[0].record();
        assertNotNull(rec);
        for (int i = 0; i < 8; i++) {
            assertEquals(Zone.NORMAL, b.zone(rec.pfns()[i]), "pinned page " + i);
            assertEquals(rec.pfns()[i], b.v().pfn[i], "the PTE maps the page the pin holds");
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(tokens[i], b.k().frames.token(rec.pfns()[i]), "page " + i + "'s data moved with it");
            assertTrue(b.k().frames.test(before[i], PageFlags.BUDDY), "the movable frame " + i + " was freed");
        }
        assertEquals(1, gup[0].longtermRetries(), "one -EAGAIN, then a pass that found nothing to migrate");
        assertEquals(1, b.vmstat(Vmstat.GUP_LONGTERM_RETRIES));
        assertEquals(4, b.vmstat(Vmstat.PGMIGRATE_SUCCESS), "one per page migrated");
        assertEquals(0, b.vmstat(Vmstat.PGMIGRATE_FAIL));
        // the first pass pinned all eight and unpinned all eight, the four in ZONE_NORMAL too
        assertEquals(16, b.k().pins.accounting().pinsAcquired());
        assertEquals(8, b.k().pins.accounting().pinsReleased());
        assertEquals(List.of(rec), b.k().pins.accounting().outstanding());
    }

    @Test
    void pagesALongTermPinFaultsInAreAllocatedOutsideZoneMovableAndNeedNoMigration() {
        // memalloc_pin_save (include/linux/sched/mm.h, 6.12): PF_MEMALLOC_PIN clears __GFP_MOVABLE
        // from every allocation in __gup_longterm_locked's scope, the faults' pages included
        Box b = Box.of();
        GetUserPages[] gup = new GetUserPages[2];
        b.m().engine().spawn("app", new Script("app")
                .call(() -> gup[0] = GetUserPages.accounted(b.k().gup, b.mm(), b.vpn(0), 4, LONGTERM_W, "mlx5_0"))
                .call(() -> gup[1] = GetUserPages.accounted(b.k().gup, b.mm(), b.vpn(4), 4, PIN_W, "nvme0")), 0);
        b.m().runUntil(MS);
        assertEquals(4, gup[0].result);
        assertEquals(4, gup[1].result);
        for (int i = 0; i < 4; i++) {
            assertEquals(Zone.NORMAL, b.zone(gup[0].pages()[i]), "faulted in by the long-term pin: " + i);
            assertEquals(Zone.MOVABLE, b.zone(gup[1].pages()[i]), "faulted in by a short-term pin: " + i);
        }
        assertEquals(0, gup[0].longtermRetries());
        assertEquals(0, b.vmstat(Vmstat.PGMIGRATE_SUCCESS));
        assertEquals(0, b.vmstat(Vmstat.GUP_LONGTERM_RETRIES));
    }

    @Test
    void aMovablePageSomeoneElseHoldsPinnedFailsTheLongTermPinWithEnomemAndNothingStaysPinned() {
        // migrate_longterm_unpinnable_folios (mm/gup.c, 6.12): migrate_pages() returning non-zero
        // is -ENOMEM; the folio with an unexpected reference fails folio_migrate_mapping with
        // -EAGAIN on every one of NR_MAX_MIGRATE_PAGES_RETRY (10) passes and counts in
        // PGMIGRATE_FAIL, one per page; the others migrate and count in PGMIGRATE_SUCCESS
        Box b = Box.of();
        int[] before = new int[4];
        GetUserPages[] gup = new GetUserPages[2];
        Script app = b.touch(new Script("app"), 0, 4)
                .then(0, t -> System.arraycopy(b.v().pfn, 0, before, 0, 4))
                .call(() -> gup[0] = GetUserPages.accounted(b.k().gup, b.mm(), b.vpn(2), 1, PIN_W, "nvme0"))
                .call(() -> gup[1] = GetUserPages.accounted(b.k().gup, b.mm(), b.vpn(0), 4, LONGTERM_W, "mlx5_0"));
        b.m().engine().spawn("app", app, 0);
        b.m().runUntil(MS);

        assertEquals(1, gup[0].result);
        assertEquals(Errno.ENOMEM.negative(), gup[1].result, Errno.describe(gup[1].result));
        assertNull(gup[1].record());
        assertEquals(List.of(gup[0].record()), b.k().pins.accounting().outstanding(), "only nvme0's pin is left");
        assertEquals(1, b.k().pins.accounting().pinsAcquired() - b.k().pins.accounting().pinsReleased(),
                "every pin the failed call took was given back");
        assertEquals(0, gup[1].longtermRetries(), "a failed migration is no -EAGAIN: no retry");
        assertEquals(3, b.vmstat(Vmstat.PGMIGRATE_SUCCESS));
        assertEquals(1, b.vmstat(Vmstat.PGMIGRATE_FAIL));
        int held = b.v().pfn[2];
        assertEquals(before[2], held, "the page nvme0 pins stayed where it was");
        assertEquals(Zone.MOVABLE, b.zone(held));
        assertTrue(b.k().frames.test(held, PageFlags.LRU), "putback_movable_pages put it back on the LRU");
        assertEquals(1 + 1024, b.k().frames.refcount(held), "its PTE and nvme0's pin, nothing else");
        for (int i : new int[] {0, 1, 3}) {
            assertNotEquals(before[i], b.v().pfn[i]);
            assertEquals(Zone.NORMAL, b.zone(b.v().pfn[i]), "page " + i + " migrated although the pin failed");
        }
    }

    @Test
    void aLockedMovablePageIsWaitedForBySynchronousMigrationAndThenMoved() {
        // migrate_folio_unmap (mm/migrate.c, 6.12): MIGRATE_ASYNC gives up on a folio it cannot
        // trylock; MIGRATE_SYNC sleeps in folio_lock
        Box b = Box.of();
        GetUserPages[] gup = new GetUserPages[1];
        long[] done = new long[1];
        b.m().engine().spawn("app", b.touch(new Script("app"), 0, 2)
                .at(100 * US)
                .call(() -> gup[0] = GetUserPages.accounted(b.k().gup, b.mm(), b.vpn(0), 2, LONGTERM_W, "mlx5_0"))
                .then(0, t -> done[0] = t.engine().now()), 0);
        int[] locked = new int[1];
        b.m().engine().spawn("holder", new Script("holder")
                .at(50 * US)
                .then(0, t -> locked[0] = b.v().pfn[1])
                .call(() -> b.k().pageLocks.lockPage(locked[0]))
                .at(600 * US)
                .then(0, t -> b.k().pageLocks.unlockPage(locked[0])), 0);
        b.m().runUntil(2 * MS);
        assertEquals(2, gup[0].result, Errno.describe(gup[0].result));
        assertTrue(done[0] >= 600 * US, "the pin waited for the page lock: done at " + done[0]);
        assertEquals(Zone.NORMAL, b.zone(gup[0].pages()[0]));
        assertEquals(Zone.NORMAL, b.zone(gup[0].pages()[1]));
        assertNotEquals(locked[0], gup[0].pages()[1]);
        assertEquals(2, b.vmstat(Vmstat.PGMIGRATE_SUCCESS));
        assertEquals(0, b.vmstat(Vmstat.PGMIGRATE_FAIL));
        assertEquals(1, gup[0].longtermRetries());
        assertEquals(0, b.k().pageLocks.lockedPages(), "no page lock left behind");
    }

    @Test
    void aFolioThatCannotBeIsolatedStillCountsSoTheCallUnpinsAndRetriesUntilItCanBe() {
        // collect_longterm_unpinnable_folios (mm/gup.c, 6.12) counts a folio whose
        // folio_isolate_lru fails, so the range is unpinned and -EAGAIN retried; 67e139b02d99's
        // message: "Restore the original isolation failure behaviour and don't fail the pup.
        // Instead retry indefinitely."
        Box b = Box.of();
        GetUserPages[] gup = new GetUserPages[1];
        int[] away = new int[1];
        b.m().engine().spawn("app", b.touch(new Script("app"), 0, 2)
                .then(0, t -> {
                    away[0] = b.v().pfn[1];
                    b.k().lru.remove(away[0]); // isolated by someone else, e.g. reclaim, with its reference
                    b.k().refs.getPage(away[0]);
                })
                .call(() -> gup[0] = GetUserPages.accounted(b.k().gup, b.mm(), b.vpn(0), 2, LONGTERM_W, "mlx5_0")), 0);
        b.m().engine().spawn("reclaim", new Script("reclaim")
                .at(300 * US)
                .then(0, t -> {
                    b.k().lru.add(away[0]); // folio_putback_lru
                    b.k().refs.putPage(away[0]);
                }), 0);
        b.m().runUntil(2 * MS);
        assertEquals(2, gup[0].result, Errno.describe(gup[0].result));
        assertTrue(gup[0].longtermRetries() > 1, "retried while the folio was off the LRU: " + gup[0].longtermRetries());
        assertEquals(gup[0].longtermRetries(), b.vmstat(Vmstat.GUP_LONGTERM_RETRIES));
        assertEquals(Zone.NORMAL, b.zone(gup[0].pages()[0]));
        assertEquals(Zone.NORMAL, b.zone(gup[0].pages()[1]));
        assertEquals(2, b.vmstat(Vmstat.PGMIGRATE_SUCCESS));
        assertFalse(b.m().engine().stopped());
    }

    @Test
    void theFastPathLeavesMovablePagesToTheSlowPathWhichMigratesThem() {
        // gup_fast_pte_range (mm/gup.c, 6.12) drops a folio that is not longterm-pinnable under
        // FOLL_LONGTERM; gup_fast_fallback hands the rest to __gup_longterm_locked
        Box b = Box.of();
        GupFast[] gup = new GupFast[1];
        b.m().engine().spawn("app", b.touch(new Script("app"), 0, 8)
                .call(() -> gup[0] = new GupFast(b.k().gup, b.mm(), b.vpn(0), 8, LONGTERM_W, "mlx5_0")), 0);
        b.m().runUntil(MS);
        assertEquals(8, gup[0].result);
        for (int pfn : gup[0].record().pfns()) {
            assertEquals(Zone.NORMAL, b.zone(pfn));
        }
        assertEquals(8, b.vmstat(Vmstat.PGMIGRATE_SUCCESS));
        assertEquals(1, b.vmstat(Vmstat.GUP_LONGTERM_RETRIES));
        assertEquals(1, b.k().pins.accounting().outstanding().size());
    }
}
