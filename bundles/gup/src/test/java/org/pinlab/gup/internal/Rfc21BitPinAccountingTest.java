package org.pinlab.gup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;

class Rfc21BitPinAccountingTest {

    private static final int HEAD = FakeFolioCounters.LARGE_HEAD;
    private static final List<String> OVERFLOW_WARN = List.of("get_gup_pin_page: get_user_pages pin count overflowed");

    private final FakeFolioCounters folios = new FakeFolioCounters();
    private final PinAccounting pins = new Rfc21BitPinTracker().create(folios);

    @Test
    void everySubpagePinOfAHugePageAddsTheBiasToTheHead() {
        assertEquals(0, pins.tryGrab(HEAD + 88, Foll.PIN | Foll.LONGTERM));
        assertEquals(0, pins.tryGrab(HEAD + 89, Foll.PIN | Foll.LONGTERM));
        assertEquals(1 + 2 * 1024, folios.refcount[HEAD]);
        assertEquals(0, folios.pincount[HEAD], "the RFC has no separate pincount");
        assertTrue(pins.maybeDmaPinned(HEAD + 300));

        pins.ungrab(HEAD + 88, Foll.PIN | Foll.LONGTERM);
        pins.ungrab(HEAD + 89, Foll.PIN | Foll.LONGTERM);
        assertEquals(1, folios.refcount[HEAD]);
        assertFalse(pins.maybeDmaPinned(HEAD));
    }

    @Test
    void aFolioRunOfPinsPutsTheBiasOfEverySubpageOnTheHeadAtOnce() {
        int foll = Foll.PIN | Foll.LONGTERM;
        assertEquals(0, pins.tryGrabFolio(HEAD, 512, foll));
        assertEquals(1 + 512 * 1024, folios.refcount[HEAD]);
        assertEquals(0, folios.pincount[HEAD]);
        assertEquals(512, pins.pinsAcquired());

        pins.ungrabFolio(HEAD + 256, 256, foll);
        assertEquals(1 + 256 * 1024, folios.refcount[HEAD]);
        assertEquals(256, pins.pinsReleased());
    }

    @Test
    void aFolioRunThatWouldOverflowThePinFieldIsRefusedWholeWithOneWarn() {
        folios.refcount[HEAD] = Integer.MAX_VALUE - 511 * 1024; // room for 511 more pins, not 512
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrabFolio(HEAD, 512, Foll.PIN | Foll.LONGTERM));
        assertEquals(Integer.MAX_VALUE - 511 * 1024, folios.refcount[HEAD], "all or nothing");
        assertEquals(0, pins.pinsAcquired());
        assertEquals(OVERFLOW_WARN, folios.warnings);

        assertEquals(0, pins.tryGrabFolio(HEAD + 1, 511, Foll.PIN | Foll.LONGTERM), "511 still fit");
        assertEquals(Integer.MAX_VALUE, folios.refcount[HEAD]);
        assertEquals(OVERFLOW_WARN, folios.warnings, "WARN_ONCE");
    }

    @Test
    void aSmallPagePinAddsTheBiasAndUnpinRestoresIt() {
        assertEquals(0, pins.tryGrab(7, Foll.PIN));
        assertEquals(1 + 1024, folios.refcount[7]);
        pins.ungrab(7, Foll.PIN);
        assertEquals(1, folios.refcount[7]);
    }

    @Test
    void aPlainGetAddsOneReferenceAsInTheMergedLayout() {
        assertEquals(0, pins.tryGrab(HEAD + 5, Foll.GET));
        assertEquals(2, folios.refcount[HEAD]);
        pins.ungrab(HEAD + 5, Foll.GET);
        assertEquals(1, folios.refcount[HEAD]);
        assertEquals(0, pins.pinsAcquired());
    }

    @Test
    void plainGetsLookPinnedOnceTheyReachTheBiasEvenOnAHugePage() {
        for (int i = 0; i < 1023; i++) {
            pins.tryGrab(HEAD + 1, Foll.GET);
        }
        assertEquals(1024, folios.refcount[HEAD]);
        assertTrue(pins.maybeDmaPinned(HEAD + 1), "no pincount to tell references from pins");
    }

    @Test
    void aPinFieldOverflowWarnsOnceButEveryRefusedGrabFails() {
        folios.refcount[7] = Integer.MAX_VALUE - 1000;
        folios.refcount[HEAD] = Integer.MAX_VALUE - 1023;

        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(7, Foll.PIN));
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(7, Foll.PIN));
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(HEAD + 1, Foll.PIN | Foll.LONGTERM));
        assertEquals(Integer.MAX_VALUE - 1000, folios.refcount[7]);
        assertEquals(Integer.MAX_VALUE - 1023, folios.refcount[HEAD]);
        assertEquals(OVERFLOW_WARN, folios.warnings, "WARN_ONCE");
        assertEquals(0, pins.pinsAcquired());

        folios.refcount[8] = Integer.MAX_VALUE - 1024;
        assertEquals(0, pins.tryGrab(8, Foll.PIN), "exactly INT_MAX still fits");
        assertEquals(Integer.MAX_VALUE, folios.refcount[8]);
    }

    @Test
    void unpinningAPageThatHoldsNoPinIsReportedAsPinUnderflow() {
        folios.refcount[HEAD] = 1023;
        pins.ungrab(HEAD + 7, Foll.PIN);
        assertEquals(1023, folios.refcount[HEAD]);
        assertEquals(1, folios.reports.size());
        assertEquals(FindingKind.PIN_UNDERFLOW, folios.reports.get(0).kind());
        assertTrue(folios.reports.get(0).message().contains("pfn " + (HEAD + 7)), folios.reports.get(0).message());
        assertEquals(0, pins.pinsReleased());
    }
}
