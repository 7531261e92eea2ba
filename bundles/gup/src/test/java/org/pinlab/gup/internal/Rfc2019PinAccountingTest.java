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
import org.pinlab.api.gup.PinRecord;

/**
 * The February 2019 tracking RFC ("[PATCH 4/6] mm/gup: track gup-pinned pages", John
 * Hubbard, 3 Feb 2019), the layout seed 000 ran: {@code get_gup_pin_page},
 * {@code put_user_page}, and the paths it left unconverted.
 */
class Rfc2019PinAccountingTest {

    private static final int HEAD = FakeFolioCounters.LARGE_HEAD;
    private static final int[] THP = java.util.stream.IntStream.range(HEAD, HEAD + 512).toArray();
    private static final int FOLL = Foll.PIN | Foll.LONGTERM | Foll.WRITE;
    private static final List<String> RFC_WARN = List.of("get_gup_pin_page: get_user_pages pin count overflowed");

    private final FakeFolioCounters folios = new FakeFolioCounters();
    private final PinAccounting pins = new Rfc2019PinTracker().create(folios);

    @Test
    void getGupPinPageComparesTheSignExtendedCountAgainstUintMaxMinusBiasSoOnlyANegativeCountFires() {
        // page_ref_count(page) >= (UINT_MAX - GUP_PIN_COUNTING_BIAS), int vs unsigned long on LP64
        assertTrue(Rfc2019PinAccounting.overflowed(-1));
        assertTrue(Rfc2019PinAccounting.overflowed(Integer.MIN_VALUE));
        assertFalse(Rfc2019PinAccounting.overflowed(Integer.MAX_VALUE), "2^31 - 1 < 0xFFFFFBFF");
        assertFalse(Rfc2019PinAccounting.overflowed(0));
        assertFalse(Rfc2019PinAccounting.overflowed(((1 << 21) - 1) * 1024), "2^21 - 1 pins of a page still fit");
        assertTrue(Rfc2019PinAccounting.overflowed((1 << 21) * 1024), "2^21 pins wrap the int: 2M, not the comment's 4M");
    }

    @Test
    void getGupPinPageReturnsEoverflowAndWarnsOnceForANegativeCount() {
        folios.refcount[7] = -1;
        assertEquals(Errno.EOVERFLOW.negative(), pins.tryGrab(7, FOLL));
        assertEquals(-1, folios.refcount[7], "nothing added");
        assertEquals(RFC_WARN, folios.warnings);
        folios.refcount[8] = -5000;
        assertEquals(Errno.EOVERFLOW.negative(), pins.tryGrab(8, FOLL), "any negative count, on 64-bit");
        assertEquals(RFC_WARN, folios.warnings, "WARN_ONCE");
    }

    @Test
    void getGupPinPageLetsTheCountWrapAndRefusesThePinAfterIt() {
        folios.refcount[7] = Integer.MAX_VALUE - 100; // not negative: the pin is taken, and wraps
        assertEquals(0, pins.tryGrab(7, FOLL));
        assertTrue(folios.refcount[7] < 0);
        assertTrue(folios.warnings.isEmpty());
        assertEquals(Errno.EOVERFLOW.negative(), pins.tryGrab(7, FOLL));
        assertEquals(RFC_WARN, folios.warnings);
    }

    @Test
    void putUserPageSubtractsTheBiasUncheckedSoAPlainGetReleasedAsAPinGoesNegative() {
        // more puts than gets: get_page (+1), then put_user_page (-1024); without
        // CONFIG_DEBUG_VM the VM_BUG_ON_PAGE is not there, and the model reports it instead
        assertEquals(0, pins.tryGrab(7, Foll.GET));
        pins.ungrab(7, FOLL);
        assertEquals(1 + 1 - 1024, folios.refcount[7]);
        assertEquals(FindingKind.PIN_UNDERFLOW, folios.reports.get(0).kind());
        assertTrue(folios.reports.get(0).message().contains("put_user_page"), folios.reports.toString());
        assertTrue(folios.freed.isEmpty(), "page_ref_sub never frees");
        assertEquals(Errno.EOVERFLOW.negative(), pins.tryGrab(7, FOLL), "the next pin warns");
        assertEquals(RFC_WARN, folios.warnings);
    }

    @Test
    void followTransHugePmdStillTakesGetPageSoOneUserReleasingItsThpDrivesTheHeadNegative() {
        // ib_umem_get -> get_user_pages -> follow_trans_huge_pmd: get_page per subpage
        assertEquals(0, pins.tryGrabHugePmd(HEAD, 512, FOLL, false));
        assertEquals(1 + 512, folios.refcount[HEAD], "plain references, not pins");
        assertFalse(pins.maybeDmaPinned(HEAD), "page_gup_pinned: 513 is not > 1024");
        PinRecord mr = pins.record("reg-mr", THP, FOLL);
        // ib_umem_release -> put_user_pages_dirty_lock: put_user_page per subpage
        pins.release(mr, false);
        assertEquals(1 + 512 - 512 * 1024, folios.refcount[HEAD]);
        assertEquals(1, folios.reports.size(), "one report per folio run");
        assertTrue(folios.warnings.isEmpty(), "nothing has warned yet");
        // the huge PMD split, the same subpages now come through follow_page_pte
        assertEquals(Errno.EOVERFLOW.negative(), pins.tryGrabFolio(HEAD + 1, 511, FOLL));
        assertEquals(RFC_WARN, folios.warnings);
        assertEquals(List.of("reg-mr"), List.of(mr.owner()), "a single GUP user");
    }

    @Test
    void gupHugePmdAddsTheBiasOnceForTheWholeHugePmd() {
        assertEquals(0, pins.tryGrabHugePmd(HEAD, 512, FOLL, true));
        assertEquals(1 + 1024, folios.refcount[HEAD]);
        pins.ungrabFolio(HEAD, 512, FOLL);
        assertEquals(1 + 1024 - 512 * 1024, folios.refcount[HEAD], "released subpage by subpage");
    }

    @Test
    void theSamePathsBalanceUnderTheMergedLayout() {
        FakeFolioCounters merged = new FakeFolioCounters();
        PinAccounting m = new MergedPinTracker().create(merged);
        assertEquals(0, m.tryGrabHugePmd(HEAD, 512, FOLL, false));
        m.release(m.record("reg-mr", THP, FOLL), false);
        assertEquals(1, merged.refcount[HEAD]);
        assertEquals(0, m.tryGrabFolio(HEAD + 1, 511, FOLL));
        assertTrue(merged.warnings.isEmpty());
        assertTrue(merged.reports.isEmpty());
    }
}
