package org.pinlab.gup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.gup.PinTracker;

/**
 * Exhausting the pin field of one THP under the layout of the Nov-Dec 2019 FOLL_PIN series
 * (seed 004's "21 bits ... to track gupers"): registering one 2 MiB THP pins its 512
 * subpages, each 1024 on the head, so one registration adds 2^19. The series' only check,
 * try_get_compound_head's WARN_ON_ONCE(page_ref_count(head) &lt; 0), comes before the add:
 * the 4096th registration takes the count from 2^31 - 2^19 + 1 past INT_MAX (it wraps), and
 * the 4097th is refused. (This is not seed 000's mechanism: see Rfc2019PinAccountingTest.)
 */
class ThpPinExhaustionTest {

    private static final int HEAD = FakeFolioCounters.LARGE_HEAD;
    private static final int[] THP = IntStream.range(HEAD, HEAD + 512).toArray();
    private static final int FOLL = Foll.PIN | Foll.LONGTERM | Foll.WRITE;
    private static final int ATTEMPTS = 5000;
    private static final String OVERFLOW_WARN = "try_get_compound_head: WARN_ON_ONCE(page_ref_count(head) < 0)";

    /** What happened to {@value #ATTEMPTS} registrations: those that succeeded, and the first that failed (0 if none). */
    private record Run(FakeFolioCounters folios, PinAccounting pins, List<PinRecord> registered, int failedAt) {
    }

    /**
     * ib_umem_get -> pin_user_pages(FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE) over the whole
     * THP; a refused page ends the call, which gives back what it took (all or nothing).
     */
    private static PinRecord registerMr(PinAccounting pins) {
        for (int i = 0; i < THP.length; i++) {
            if (pins.tryGrab(THP[i], FOLL) != 0) {
                for (int j = 0; j < i; j++) {
                    pins.ungrab(THP[j], FOLL);
                }
                return null;
            }
        }
        return pins.record("reg-mr", THP, FOLL);
    }

    /** As {@link #registerMr}, the way today's GUP takes a huge page: one try_grab_folio of all 512 subpages. */
    private static PinRecord registerMrByFolio(PinAccounting pins) {
        return pins.tryGrabFolio(HEAD, THP.length, FOLL) == 0 ? pins.record("reg-mr", THP, FOLL) : null;
    }

    private static Run registerRepeatedly(PinTracker tracker) {
        return registerRepeatedly(tracker, ThpPinExhaustionTest::registerMr);
    }

    private static Run registerRepeatedly(PinTracker tracker, Function<PinAccounting, PinRecord> register) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);
        List<PinRecord> registered = new ArrayList<>();
        for (int n = 1; n <= ATTEMPTS; n++) {
            PinRecord r = register.apply(pins);
            if (r == null) {
                return new Run(folios, pins, registered, n);
            }
            registered.add(r);
        }
        return new Run(folios, pins, registered, 0);
    }

    @Test
    void theCountWrapsAtThe4096thRegistrationAndThe4097thIsRefusedButTheMergedCountTakesThemAll() {
        Run follPin = registerRepeatedly(new FollPin2019PinTracker());
        // the head starts at 1 (its mapping); registration n leaves 1 + n * 2^19. Before the
        // 4096th that is 2^31 - 2^19 + 1 >= 0, so it is taken and wraps; the 4097th sees < 0
        long before4096 = 1 + 4095L * 512 * 1024;
        assertTrue(before4096 <= Integer.MAX_VALUE);
        assertTrue(before4096 + 512L * 1024 > Integer.MAX_VALUE);
        assertEquals(4097, follPin.failedAt());
        assertEquals(List.of(OVERFLOW_WARN), follPin.folios().warnings);
        assertEquals(4096, follPin.pins().outstanding().size(), "a single user: one owner, reg-mr");
        assertTrue(follPin.pins().outstanding().stream().allMatch(r -> r.owner().equals("reg-mr")));
        assertEquals((int) (1 + 4096L * 512 * 1024), follPin.folios().refcount[HEAD], "wrapped: 1 + 2^31");
        assertEquals(Integer.MIN_VALUE + 1, follPin.folios().refcount[HEAD]);
        assertTrue(follPin.pins().maybeDmaPinned(HEAD), "read unsigned, the wrapped count still looks pinned");
        assertNull(registerMr(follPin.pins()), "registering again fails again");
        assertEquals(1, follPin.folios().warnings.size(), "WARN_ON_ONCE, though every refused grab fails");

        Run merged = registerRepeatedly(new MergedPinTracker());
        assertEquals(0, merged.failedAt(), "all " + ATTEMPTS + " registrations succeed");
        assertEquals(ATTEMPTS, merged.registered().size());
        assertTrue(merged.folios().warnings.isEmpty(), merged.folios().warnings.toString());
        assertEquals(512 * ATTEMPTS, merged.folios().pincount[HEAD]);
        assertEquals(1 + 512 * ATTEMPTS, merged.folios().refcount[HEAD]);
        assertEquals(512L * ATTEMPTS, merged.pins().pinsAcquired());
    }

    @Test
    void grabbingTheHugePageAsOneFolioRunIsRefusedAtTheSameRegistration() {
        Run pageByPage = registerRepeatedly(new FollPin2019PinTracker());
        Run byFolio = registerRepeatedly(new FollPin2019PinTracker(), ThpPinExhaustionTest::registerMrByFolio);
        assertEquals(4097, byFolio.failedAt());
        assertEquals(List.of(OVERFLOW_WARN), byFolio.folios().warnings);
        assertEquals(pageByPage.folios().refcount[HEAD], byFolio.folios().refcount[HEAD]);
        assertEquals(4096L * 512, byFolio.pins().pinsAcquired());
        assertEquals(4096L * 512, pageByPage.pins().pinsAcquired(), "the first subpage of the 4097th is refused");

        Run merged = registerRepeatedly(new MergedPinTracker(), ThpPinExhaustionTest::registerMrByFolio);
        assertEquals(0, merged.failedAt());
        assertEquals(512 * ATTEMPTS, merged.folios().pincount[HEAD]);
    }

    @Test
    void deregisteringEverythingAfterTheOverflowRestoresTheHugePage() {
        for (PinTracker tracker : List.of(new FollPin2019PinTracker(), new MergedPinTracker())) {
            Run run = registerRepeatedly(tracker);
            for (PinRecord r : run.pins().outstanding()) {
                run.pins().release(r, true); // ib_umem_release: unpin_user_page_range_dirty_lock
            }
            assertTrue(run.pins().outstanding().isEmpty());
            assertEquals(1, run.folios().refcount[HEAD], tracker.name());
            assertEquals(0, run.folios().pincount[HEAD], tracker.name());
            assertEquals(run.pins().pinsAcquired(), run.pins().pinsReleased(), tracker.name());
            assertTrue(run.folios().reports.isEmpty(), run.folios().reports.toString());
        }
    }
}
