package org.pinlab.gup.internal;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.FolioCounters;

/**
 * The 2019 RFC layout (seeds 000 and 004): pins share the 31-bit refcount with
 * {@code get_page()}, the low 10 bits counting references and the upper 21 bits counting
 * pins. Every pin adds {@code GUP_PIN_COUNTING_BIAS} to the refcount of the folio's head,
 * whatever the folio's size, so each subpage pin of a THP lands on the head; there is no
 * separate {@code _pincount}.
 */
final class Rfc21BitPinAccounting extends AbstractPinAccounting {

    /** The message of the RFC's WARN_ONCE in {@code get_gup_pin_page} (seed 000). */
    static final String OVERFLOW_MESSAGE = "get_user_pages pin count overflowed";

    private boolean warnedOverflow;

    Rfc21BitPinAccounting(FolioCounters folios) {
        super(folios);
    }

    @Override
    protected int grabPin(int pfn, int head, int refcount, int refs) {
        // get_gup_pin_page() (RFC, mm/gup.c): page = compound_head(page), then the bias
        // goes on the head. When the 21-bit pin field would overflow into the sign bit:
        // WARN_ONCE(1, "get_user_pages pin count overflowed") and the grab fails.
        // Departure: the errno is the SPI's -ENOMEM; the threshold is "the sum would pass
        // INT_MAX", not the RFC's exact comparison; and a run of refs subpages is checked as
        // one sum, all or nothing, where the RFC's GUP pinned page by page up to the one
        // that overflowed.
        if (!fits(refcount, (long) GUP_PIN_COUNTING_BIAS * refs)) {
            if (!warnedOverflow) {
                warnedOverflow = true; // WARN_ONCE: once per machine
                folios.warn("get_gup_pin_page", OVERFLOW_MESSAGE);
            }
            return Errno.ENOMEM.negative();
        }
        // page_ref_add(page, GUP_PIN_COUNTING_BIAS), once per subpage, all on the head
        folios.addRefs(head, GUP_PIN_COUNTING_BIAS * refs);
        return 0;
    }

    @Override
    protected void dropPin(int head, int refs) {
        // put_user_page() in the RFC, once per subpage: takes the bias back off the head's
        // refcount, freeing the page at zero
        folios.putRefs(head, GUP_PIN_COUNTING_BIAS * refs);
    }

    @Override
    public boolean maybeDmaPinned(int pfn) {
        // the RFC's pinned test (the ancestor of page_maybe_dma_pinned): the head's
        // refcount has reached the bias (false positives after 1024 plain references,
        // never a false negative)
        int head = folios.compoundHead(pfn);
        return Integer.compareUnsigned(folios.refcount(head), GUP_PIN_COUNTING_BIAS) >= 0;
    }

    @Override
    protected boolean skipsZeroPage() {
        return false;
    }
}
