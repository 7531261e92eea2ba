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

class FollPin2019PinAccountingTest {

    private static final int HEAD = FakeFolioCounters.LARGE_HEAD;
    private static final List<String> OVERFLOW_WARN =
            List.of("try_get_compound_head: WARN_ON_ONCE(page_ref_count(head) < 0)");

    private final FakeFolioCounters folios = new FakeFolioCounters();
    private final PinAccounting pins = new FollPin2019PinTracker().create(folios);

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
    void tryGetCompoundHeadLetsAFolioRunWrapTheCountAndRefusesTheNextRunWithOneWarn() {
        // try_pin_compound_head -> try_get_compound_head (Dec 2019): WARN_ON_ONCE(count < 0)
        // comes before the add, so the run that wraps the count is taken
        folios.refcount[HEAD] = Integer.MAX_VALUE - 511 * 1024; // 511 more pins fit, the 512th wraps
        assertEquals(0, pins.tryGrabFolio(HEAD, 512, Foll.PIN | Foll.LONGTERM));
        assertTrue(folios.refcount[HEAD] < 0, "wrapped");
        assertTrue(folios.warnings.isEmpty());
        assertTrue(pins.maybeDmaPinned(HEAD), "read unsigned, a wrapped count still looks pinned");

        int wrapped = folios.refcount[HEAD];
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrabFolio(HEAD + 1, 1, Foll.PIN | Foll.LONGTERM));
        assertEquals(wrapped, folios.refcount[HEAD], "nothing added");
        assertEquals(OVERFLOW_WARN, folios.warnings);
        assertEquals(512, pins.pinsAcquired());
    }

    @Test
    void theSlowPathChecksEverySubpageOfARunAndRefusesTheRunThatWouldPinPastTheWrap() {
        // follow_page_pte / follow_trans_huge_pmd pin subpage by subpage, one check each:
        // from INT_MAX - 1023 the first pin wraps the count and the second is refused
        folios.refcount[HEAD] = Integer.MAX_VALUE - 1023;
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrabHugePmd(HEAD, 2, Foll.PIN, false));
        assertEquals(Integer.MAX_VALUE - 1023, folios.refcount[HEAD], "the model refuses the whole run");
        assertEquals(OVERFLOW_WARN, folios.warnings);
        // gup-fast takes the huge PMD with one try_grab_compound_head: one check, so it is taken
        assertEquals(0, pins.tryGrabHugePmd(HEAD, 2, Foll.PIN, true));
        assertEquals(Integer.MAX_VALUE - 1023 + 2048, folios.refcount[HEAD]);
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
    void aNegativeCountWarnsOnceButEveryGrabOfItFails() {
        folios.refcount[7] = -1000;
        folios.refcount[HEAD] = Integer.MIN_VALUE + 5;

        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(7, Foll.PIN));
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(7, Foll.PIN));
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(HEAD + 1, Foll.PIN | Foll.LONGTERM));
        assertEquals(-1000, folios.refcount[7]);
        assertEquals(Integer.MIN_VALUE + 5, folios.refcount[HEAD]);
        assertEquals(OVERFLOW_WARN, folios.warnings, "WARN_ON_ONCE");
        assertEquals(0, pins.pinsAcquired());

        folios.refcount[8] = 0;
        assertEquals(Errno.ENOMEM.negative(), pins.tryGrab(8, Foll.PIN), "page_cache_add_speculative refuses a free page");
        assertEquals(OVERFLOW_WARN, folios.warnings, "and does not warn");
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
