package org.pinlab.gup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;

class MergedPinAccountingTest {

    private static final int HEAD = FakeFolioCounters.LARGE_HEAD;

    private final FakeFolioCounters folios = new FakeFolioCounters();
    private final PinAccounting pins = new MergedPinTracker().create(folios);

    @Test
    void aSmallPagePinAddsTheBiasAndUnpinRestoresIt() {
        assertEquals(0, pins.tryGrab(7, Foll.PIN | Foll.WRITE));
        assertEquals(1 + 1024, folios.refcount[7]);
        assertTrue(pins.maybeDmaPinned(7));

        assertEquals(0, pins.tryGrab(7, Foll.PIN));
        assertEquals(1 + 2 * 1024, folios.refcount[7]);

        pins.ungrab(7, Foll.PIN);
        pins.ungrab(7, Foll.PIN | Foll.WRITE);
        assertEquals(1, folios.refcount[7]);
        assertFalse(pins.maybeDmaPinned(7));
        assertTrue(folios.reports.isEmpty());
    }

    /**
     * {@code try_grab_folio} and {@code gup_put_folio} leave the shared zero page alone for
     * FOLL_PIN (mm/gup.c, v6.5: c8070b787519 "mm: Don't pin ZERO_PAGE in pin_user_pages()"):
     * no bias, no NR_FOLL_PIN_ACQUIRED or _RELEASED; FOLL_GET still takes a reference.
     */
    @Test
    void pinUserPagesTakesNoPinOnTheSharedZeroPageAndGetUserPagesStillTakesAReference() {
        folios.zeroPage = 9;
        assertEquals(0, pins.tryGrab(9, Foll.PIN));
        assertEquals(1, folios.refcount[9], "no pin bias on the zero page");
        assertFalse(pins.maybeDmaPinned(9));
        assertEquals(0, pins.pinsAcquired());
        pins.ungrab(9, Foll.PIN);
        assertEquals(1, folios.refcount[9]);
        assertEquals(0, pins.pinsReleased());
        assertTrue(folios.reports.isEmpty(), "unpinning the zero page is no underflow: " + folios.reports);

        assertEquals(0, pins.tryGrab(9, Foll.GET));
        assertEquals(2, folios.refcount[9], "FOLL_GET takes a real reference on the zero page");
    }

    @Test
    void aLargeFolioPinAddsOneReferenceAndOnePincountPerSubpage() {
        for (int pfn = HEAD; pfn < HEAD + 512; pfn++) {
            assertEquals(0, pins.tryGrab(pfn, Foll.PIN | Foll.LONGTERM));
        }
        assertEquals(1 + 512, folios.refcount[HEAD]);
        assertEquals(512, folios.pincount[HEAD]);
        assertEquals(0, folios.refcount[HEAD + 100], "tail pages keep no counts");
        assertTrue(pins.maybeDmaPinned(HEAD + 511));

        for (int pfn = HEAD; pfn < HEAD + 512; pfn++) {
            pins.ungrab(pfn, Foll.PIN | Foll.LONGTERM);
        }
        assertEquals(1, folios.refcount[HEAD]);
        assertEquals(0, folios.pincount[HEAD]);
        assertFalse(pins.maybeDmaPinned(HEAD + 3));
    }

    @Test
    void aFolioRunIsPinnedAndUnpinnedInOneGrabWithTheCountsOfItsSubpages() {
        int foll = Foll.PIN | Foll.LONGTERM;
        assertEquals(0, pins.tryGrabFolio(HEAD + 12, 500, foll)); // the rest of the THP from subpage 12
        assertEquals(1 + 500, folios.refcount[HEAD]);
        assertEquals(500, folios.pincount[HEAD]);
        assertEquals(500, pins.pinsAcquired(), "nr_foll_pin_acquired counts PAGE_SIZE units");

        pins.ungrabFolio(HEAD + 12, 500, foll);
        assertEquals(1, folios.refcount[HEAD]);
        assertEquals(0, folios.pincount[HEAD]);
        assertEquals(500, pins.pinsReleased());
        assertTrue(folios.reports.isEmpty(), folios.reports.toString());
    }

    @Test
    void aRunOfSubpagesMustStayInsideOneFolio() {
        int foll = Foll.PIN;
        assertThrows(IllegalArgumentException.class, () -> pins.tryGrabFolio(HEAD + 500, 13, foll),
                "the last subpage of the THP is HEAD + 511");
        assertThrows(IllegalArgumentException.class, () -> pins.ungrabFolio(HEAD - 2, 3, foll));
        assertThrows(IllegalArgumentException.class, () -> pins.ungrabFolio(7, 2, foll), "two small pages");
        assertEquals(1, folios.refcount[HEAD]);
        assertEquals(1, folios.refcount[7]);
        assertEquals(0, pins.pinsAcquired());
    }

    @Test
    void ungrabbingAFolioRunThatHoldsNoPinIsOnePinUnderflow() {
        folios.refcount[HEAD] = 3;
        pins.ungrabFolio(HEAD + 1, 511, Foll.PIN);
        assertEquals(3, folios.refcount[HEAD], "nothing changes");
        assertEquals(List.of(FindingKind.PIN_UNDERFLOW),
                folios.reports.stream().map(FakeFolioCounters.Report::kind).toList());
        assertEquals(0, pins.pinsReleased());
    }

    @Test
    void aPlainGetAddsOneReferenceToTheHeadAndNoPin() {
        assertEquals(0, pins.tryGrab(HEAD + 9, Foll.GET));
        assertEquals(0, pins.tryGrab(7, Foll.GET | Foll.WRITE));
        assertEquals(2, folios.refcount[HEAD]);
        assertEquals(0, folios.pincount[HEAD]);
        assertEquals(2, folios.refcount[7]);
        assertEquals(0, pins.pinsAcquired(), "FOLL_GET is not a pin");

        pins.ungrab(HEAD + 9, Foll.GET);
        pins.ungrab(7, Foll.GET);
        assertEquals(1, folios.refcount[HEAD]);
        assertEquals(1, folios.refcount[7]);
        assertEquals(0, pins.pinsReleased());
    }

    @Test
    void maybeDmaPinnedGivesAFalsePositiveAfter1024PlainGetsOnASmallPageButIsExactOnALargeFolio() {
        for (int i = 0; i < 1022; i++) {
            pins.tryGrab(7, Foll.GET);
            pins.tryGrab(HEAD + 1, Foll.GET);
        }
        assertFalse(pins.maybeDmaPinned(7), "refcount 1023 is below the bias");
        pins.tryGrab(7, Foll.GET);
        pins.tryGrab(7, Foll.GET);
        pins.tryGrab(HEAD + 1, Foll.GET);
        pins.tryGrab(HEAD + 1, Foll.GET);

        assertEquals(1025, folios.refcount[7]);
        assertTrue(pins.maybeDmaPinned(7), "1024 plain gets look like a pin: a false positive");
        assertEquals(1025, folios.refcount[HEAD]);
        assertFalse(pins.maybeDmaPinned(HEAD + 1), "a large folio's _pincount is exact");
        assertEquals(0, pins.pinsAcquired());
    }

    @Test
    void anOverflowingGrabFailsWithEnomemAndChangesNothing() {
        folios.refcount[7] = Integer.MAX_VALUE - 1000;
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(7, Foll.PIN), "the bias would not fit");
        assertEquals(Integer.MAX_VALUE - 1000, folios.refcount[7]);
        assertEquals(0, pins.tryGrab(7, Foll.GET), "one more reference still fits");

        folios.refcount[8] = Integer.MAX_VALUE;
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(8, Foll.GET));
        assertEquals(Integer.MAX_VALUE, folios.refcount[8]);

        folios.refcount[HEAD] = Integer.MAX_VALUE;
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(HEAD + 3, Foll.PIN | Foll.LONGTERM));
        assertEquals(Integer.MAX_VALUE, folios.refcount[HEAD]);
        assertEquals(0, folios.pincount[HEAD]);

        folios.refcount[HEAD] = Integer.MAX_VALUE - 1;
        assertEquals(0, pins.tryGrab(HEAD + 3, Foll.PIN), "a large folio pin needs only one reference");

        assertEquals(1, pins.pinsAcquired(), "only the pin that succeeded counts");
        assertTrue(folios.warnings.isEmpty(), "the merged layout refuses without a WARN");
    }

    @Test
    void grabbingAFreePageFailsWithEnomemAndWarnsOnce() {
        folios.refcount[9] = 0;
        folios.refcount[10] = 0;
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(9, Foll.PIN));
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(10, Foll.GET));
        assertEquals(0, folios.refcount[9]);
        assertEquals(0, folios.refcount[10]);
        assertEquals(1, folios.warnings.size(), folios.warnings.toString());
        assertTrue(folios.warnings.get(0).startsWith("try_grab_folio: "), folios.warnings.toString());
    }

    @Test
    void unpinningAPageThatHoldsNoPinIsReportedAsPinUnderflow() {
        pins.ungrab(7, Foll.PIN);
        assertEquals(1, folios.refcount[7], "nothing changes");

        folios.refcount[HEAD] = 5; // five plain references, no pin
        pins.ungrab(HEAD + 42, Foll.PIN | Foll.LONGTERM);
        assertEquals(5, folios.refcount[HEAD]);
        assertEquals(0, folios.pincount[HEAD]);

        assertEquals(List.of(FindingKind.PIN_UNDERFLOW, FindingKind.PIN_UNDERFLOW),
                folios.reports.stream().map(FakeFolioCounters.Report::kind).toList());
        assertTrue(folios.reports.get(0).message().contains("pfn 7"), folios.reports.get(0).message());
        assertTrue(folios.reports.get(1).message().contains("pfn " + (HEAD + 42)), folios.reports.get(1).message());
        assertEquals(0, pins.pinsReleased());
    }
}
