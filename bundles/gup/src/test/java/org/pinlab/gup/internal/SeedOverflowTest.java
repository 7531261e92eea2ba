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
 * Seed 000: "get_user_pages pin count overflowed" from get_gup_pin_page, hit by reg-mr (an
 * RDMA memory registration, ib_umem_get) with a single GUP user. Registering one 2 MiB THP
 * pins its 512 subpages; under the RFC each lands 1024 on the head, so 2^21 pins, about
 * 4096 registrations, fill the 21-bit field.
 */
class SeedOverflowTest {

    private static final int HEAD = FakeFolioCounters.LARGE_HEAD;
    private static final int[] THP = IntStream.range(HEAD, HEAD + 512).toArray();
    private static final int FOLL = Foll.PIN | Foll.LONGTERM | Foll.WRITE;
    private static final int ATTEMPTS = 5000;
    private static final String OVERFLOW_WARN = "get_gup_pin_page: get_user_pages pin count overflowed";

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
        return registerRepeatedly(tracker, SeedOverflowTest::registerMr);
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
    void registeringTheSameHugePageRepeatedlyOverflowsTheRfcPinFieldButNotTheMergedCount() {
        Run rfc = registerRepeatedly(new Rfc21BitPinTracker());
        // head refcount 1 + 1024 per pin must stay <= 2^31 - 1: 2^21 - 1 pins fit,
        // 4095 whole registrations of 512 pages; the 4096th fails on its last page
        int pinsThatFit = (Integer.MAX_VALUE - 1) / 1024;
        assertEquals((1 << 21) - 1, pinsThatFit);
        assertEquals(pinsThatFit / 512 + 1, rfc.failedAt());
        assertEquals(4096, rfc.failedAt(), "about 2^21 pins / 512 subpages");
        assertEquals(List.of(OVERFLOW_WARN), rfc.folios().warnings);
        assertEquals(4095, rfc.pins().outstanding().size(), "a single user: one owner, reg-mr");
        assertTrue(rfc.pins().outstanding().stream().allMatch(r -> r.owner().equals("reg-mr")));
        assertEquals(1 + 4095L * 512 * 1024, rfc.folios().refcount[HEAD], "the failed registration gave its pins back");
        assertNull(registerMr(rfc.pins()), "registering again fails again");
        assertEquals(1, rfc.folios().warnings.size(), "WARN_ONCE, though every refused grab fails");

        Run merged = registerRepeatedly(new MergedPinTracker());
        assertEquals(0, merged.failedAt(), "all " + ATTEMPTS + " registrations succeed");
        assertEquals(ATTEMPTS, merged.registered().size());
        assertTrue(merged.folios().warnings.isEmpty(), merged.folios().warnings.toString());
        assertEquals(512 * ATTEMPTS, merged.folios().pincount[HEAD]);
        assertEquals(1 + 512 * ATTEMPTS, merged.folios().refcount[HEAD]);
        assertEquals(512L * ATTEMPTS, merged.pins().pinsAcquired());
    }

    @Test
    void grabbingTheHugePageAsOneFolioRunOverflowsAtTheSameRegistration() {
        Run pageByPage = registerRepeatedly(new Rfc21BitPinTracker());
        Run byFolio = registerRepeatedly(new Rfc21BitPinTracker(), SeedOverflowTest::registerMrByFolio);
        assertEquals(4096, byFolio.failedAt());
        assertEquals(List.of(OVERFLOW_WARN), byFolio.folios().warnings);
        assertEquals(pageByPage.folios().refcount[HEAD], byFolio.folios().refcount[HEAD]);
        assertEquals(4095L * 512, byFolio.pins().pinsAcquired(), "the refused run took no pin at all");
        assertEquals(4095L * 512 + 511, pageByPage.pins().pinsAcquired(),
                "page by page, 511 pins were taken and given back");

        Run merged = registerRepeatedly(new MergedPinTracker(), SeedOverflowTest::registerMrByFolio);
        assertEquals(0, merged.failedAt());
        assertEquals(512 * ATTEMPTS, merged.folios().pincount[HEAD]);
    }

    @Test
    void deregisteringEverythingAfterTheOverflowRestoresTheHugePage() {
        for (PinTracker tracker : List.of(new Rfc21BitPinTracker(), new MergedPinTracker())) {
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
