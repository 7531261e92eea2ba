package org.pinlab.gup.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.gup.PinTracker;

class PinRecordsTest {

    private static final String BOTH = "org.pinlab.gup.internal.Trackers#both";
    private static final int HEAD = FakeFolioCounters.LARGE_HEAD;

    /** Grabs every page with {@code foll} and records them, as pin_user_pages does. */
    private static PinRecord take(PinAccounting pins, String owner, int[] pfns, int foll) {
        for (int pfn : pfns) {
            assertEquals(0, pins.tryGrab(pfn, foll));
        }
        return pins.record(owner, pfns, foll);
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void recordsGetIncreasingIdsAndTheTimeTheyWereTaken(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);
        folios.time = 100;
        PinRecord a = take(pins, "mlx5_0", new int[] {3, 4}, Foll.PIN | Foll.LONGTERM | Foll.WRITE);
        folios.time = 250;
        PinRecord b = take(pins, "io_uring", new int[] {5}, Foll.GET);

        assertTrue(b.id() > a.id());
        assertEquals(100, a.takenAt());
        assertEquals(250, b.takenAt());
        assertEquals("mlx5_0", a.owner());
        assertEquals(Foll.PIN | Foll.LONGTERM | Foll.WRITE, a.foll());
        assertTrue(a.longterm() && a.pinned());
        assertFalse(b.pinned());
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void aRecordKeepsItsOwnCopyOfThePages(PinTracker tracker) {
        PinAccounting pins = tracker.create(new FakeFolioCounters());
        int[] pfns = {3, 4};
        PinRecord r = take(pins, "vfio", pfns, Foll.PIN);
        pfns[0] = 99;
        assertArrayEquals(new int[] {3, 4}, r.pfns());
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void aRecordInPlaceKeepsTheCallersArray(PinTracker tracker) {
        PinAccounting pins = tracker.create(new FakeFolioCounters());
        int[] pages = {3, 4};
        for (int pfn : pages) {
            assertEquals(0, pins.tryGrab(pfn, Foll.PIN));
        }
        PinRecord r = pins.recordInPlace("vfio", pages, Foll.PIN);
        assertSame(pages, r.pfns(), "no copy: the caller leaves its pages[] alone until the release");
        assertEquals(List.of(r), pins.outstanding());
        pins.release(r, false);
        assertEquals(2, pins.pinsReleased());
        assertThrows(NullPointerException.class, () -> pins.recordInPlace("vfio", null, Foll.PIN));
        assertThrows(IllegalArgumentException.class, () -> pins.recordInPlace("vfio", pages, Foll.PIN | Foll.GET));
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void releaseGivesBackEachRunOfOneFolioInOneGoAndStopsAtTheFoliosEnd(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);
        int[] pfns = {HEAD - 2, HEAD - 1, HEAD, HEAD + 1, HEAD + 2, HEAD + 3, HEAD + 5, HEAD + 4, HEAD + 510, HEAD + 511,
                HEAD + 512, HEAD + 7, HEAD + 7};
        PinRecord r = take(pins, "rdma", pfns, Foll.GET);
        pins.release(r, false);
        // gup_folio_next: consecutive entries of one folio, in any order, repeats included
        assertEquals(List.of((HEAD - 2) + " x1", (HEAD - 1) + " x1", HEAD + " x8", (HEAD + 512) + " x1", HEAD + " x2"),
                folios.puts, "small pages one by one, a folio's entries together until an entry of another one");
        assertEquals(1, folios.refcount[HEAD]);
        assertEquals(1, folios.refcount[HEAD + 512]);
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void outstandingListsUnreleasedRecordsOldestFirstAndEmpties(PinTracker tracker) {
        PinAccounting pins = tracker.create(new FakeFolioCounters());
        assertTrue(pins.outstanding().isEmpty());
        PinRecord a = take(pins, "a", new int[] {1}, Foll.PIN);
        PinRecord b = take(pins, "b", new int[] {2, HEAD + 2}, Foll.GET);
        PinRecord c = take(pins, "c", new int[] {HEAD, HEAD + 1}, Foll.PIN | Foll.LONGTERM);
        assertEquals(List.of(a, b, c), pins.outstanding());

        pins.release(b, false);
        assertEquals(List.of(a, c), pins.outstanding());
        PinRecord d = take(pins, "d", new int[] {2}, Foll.PIN);
        assertEquals(List.of(a, c, d), pins.outstanding());

        pins.release(a, false);
        pins.release(d, false);
        pins.release(c, false);
        assertTrue(pins.outstanding().isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> pins.outstanding().add(a), "a snapshot, read-only");
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void releasingADirtyRecordDirtiesOnlyTheCleanPages(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);
        PinRecord r = take(pins, "mlx5_0", new int[] {3, 4, 5, HEAD + 7}, Foll.PIN | Foll.LONGTERM | Foll.WRITE);
        folios.dirty[4] = true;

        pins.release(r, true);
        assertEquals(List.of(3, 5, HEAD), folios.dirtied, "unpin_user_pages_dirty_lock skips dirty pages, and"
                + " marks a large folio dirty through its head");
        assertTrue(folios.dirty[3] && folios.dirty[4] && folios.dirty[5]);
        assertEquals(1, folios.refcount[3]);
        assertEquals(1, folios.refcount[HEAD]);
    }

    /**
     * {@code unpin_user_pages_dirty_lock} (mm/gup.c, v6.12) walks {@code pages[]} folio by folio
     * ({@code gup_folio_next}) and calls {@code folio_mark_dirty} once per clean folio under
     * {@code folio_lock}; the legacy {@code set_page_dirty_lock} of a tail page dirties its
     * folio too ({@code page_folio}). A 2 MiB THP is dirtied once, never subpage by subpage.
     */
    @ParameterizedTest
    @MethodSource(BOTH)
    void unpinDirtyLockMarksEachCleanFolioDirtyOnceNotEachSubpage(PinTracker tracker) {
        for (int foll : new int[] {Foll.PIN | Foll.WRITE, Foll.GET | Foll.WRITE}) {
            FakeFolioCounters folios = new FakeFolioCounters();
            PinAccounting pins = tracker.create(folios);
            int[] thp = new int[512];
            for (int j = 0; j < thp.length; j++) {
                thp[j] = HEAD + j;
            }
            pins.release(take(pins, "mlx5_0", thp, foll), true);
            assertEquals(List.of(HEAD), folios.dirtied, Foll.describe(foll));
            assertEquals(1, folios.refcount[HEAD], Foll.describe(foll));
        }
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void releasingACleanRecordDirtiesNothing(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);
        pins.release(take(pins, "dio", new int[] {3, 4}, Foll.GET), false);
        pins.release(take(pins, "dio", new int[] {3, 4}, Foll.PIN), false);
        assertTrue(folios.dirtied.isEmpty());
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void aRecordIsReleasedTheWayItWasTaken(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);
        PinRecord got = take(pins, "legacy", new int[] {3, HEAD + 1}, Foll.GET | Foll.WRITE);
        PinRecord pinned = take(pins, "rdma", new int[] {3, HEAD + 1}, Foll.PIN | Foll.WRITE);

        pins.release(got, true); // set_page_dirty_lock + put_page: no pin is dropped
        assertTrue(pins.maybeDmaPinned(3));
        assertTrue(pins.maybeDmaPinned(HEAD + 1));
        assertEquals(0, pins.pinsReleased());

        pins.release(pinned, false);
        assertFalse(pins.maybeDmaPinned(3));
        assertFalse(pins.maybeDmaPinned(HEAD + 1));
        assertEquals(1, folios.refcount[3]);
        assertEquals(1, folios.refcount[HEAD]);
        assertTrue(folios.reports.isEmpty(), folios.reports.toString());
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void pinCountersCountEachPinnedPageAndAreEqualOnceEverythingIsReleased(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);
        PinRecord small = take(pins, "a", new int[] {3, 4, 5}, Foll.PIN);
        PinRecord huge = take(pins, "b", new int[] {HEAD, HEAD + 1, HEAD + 2, HEAD + 3}, Foll.PIN | Foll.LONGTERM);
        PinRecord plain = take(pins, "c", new int[] {6, 7}, Foll.GET);
        assertEquals(7, pins.pinsAcquired(), "one per PAGE_SIZE pinned, none for FOLL_GET");
        assertEquals(0, pins.pinsReleased());

        pins.release(huge, true);
        assertEquals(4, pins.pinsReleased());
        pins.release(plain, false);
        assertEquals(4, pins.pinsReleased());
        pins.release(small, false);
        assertEquals(7, pins.pinsReleased());
        assertEquals(pins.pinsAcquired(), pins.pinsReleased());
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void releasingARecordTwiceThrowsNamingIt(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);
        PinRecord r = take(pins, "mlx5_0", new int[] {3}, Foll.PIN);
        pins.release(r, false);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pins.release(r, false));
        assertTrue(e.getMessage().contains("pin#" + r.id() + " mlx5_0"), e.getMessage());
        assertEquals(1, folios.refcount[3], "the second release dropped nothing");
        assertEquals(1, pins.pinsReleased());
        assertTrue(folios.reports.isEmpty());
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void aRecordOfAnotherMachineIsRefused(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);
        PinAccounting other = tracker.create(new FakeFolioCounters());
        take(pins, "here", new int[] {3}, Foll.PIN);
        PinRecord there = take(other, "there", new int[] {3}, Foll.PIN);

        assertThrows(IllegalStateException.class, () -> pins.release(there, false));
        assertEquals(1 + 1024, folios.refcount[3]);
        assertEquals(1, pins.outstanding().size());
    }
}
