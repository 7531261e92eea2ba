package org.pinlab.gup.internal;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.FolioCounters;

/**
 * The pin accounting merged in Linux 5.7 and kept since (mm/gup.c): a pin of a small page
 * adds {@code GUP_PIN_COUNTING_BIAS} to its refcount; a pin of a large folio adds one
 * reference and one to the folio's exact {@code _pincount}.
 */
final class MergedPinAccounting extends AbstractPinAccounting {

    MergedPinAccounting(FolioCounters folios) {
        super(folios);
    }

    @Override
    protected int grabPin(int pfn, int head, int refcount, int refs, GupPath path) {
        // try_grab_folio(), FOLL_PIN.
        // Departure: the kernel lets the refcount wrap and refuses the next grab; the
        // model refuses the grab that would wrap, with -ENOMEM and nothing changed.
        if (folios.isLarge(head)) {
            // folio_ref_add(folio, refs); atomic_add(refs, &folio->_pincount);
            if (!fits(refcount, refs)) {
                return Errno.ENOMEM.negative();
            }
            folios.addRefs(head, refs);
            folios.addPincount(head, refs);
        } else {
            // folio_ref_add(folio, refs * GUP_PIN_COUNTING_BIAS);
            if (!fits(refcount, (long) GUP_PIN_COUNTING_BIAS * refs)) {
                return Errno.ENOMEM.negative();
            }
            folios.addRefs(head, GUP_PIN_COUNTING_BIAS * refs);
        }
        return 0;
    }

    @Override
    protected void dropPin(int head, int refs) {
        // gup_put_folio(), FOLL_PIN
        if (folios.isLarge(head)) {
            // atomic_sub(refs, &folio->_pincount); folio_put_refs(folio, refs);
            folios.addPincount(head, -refs);
            folios.putRefs(head, refs);
        } else {
            // refs *= GUP_PIN_COUNTING_BIAS; folio_put_refs(folio, refs);
            folios.putRefs(head, GUP_PIN_COUNTING_BIAS * refs);
        }
    }

    @Override
    public boolean maybeDmaPinned(int pfn) {
        // folio_maybe_dma_pinned()
        int head = folios.compoundHead(pfn);
        if (folios.isLarge(head)) {
            // exact: atomic_read(&folio->_pincount) > 0
            return folios.pincount(head) > 0;
        }
        // ((unsigned int)folio_ref_count(folio)) >= GUP_PIN_COUNTING_BIAS:
        // 1024 plain references look like a pin (false positive), a pin never hides
        return Integer.compareUnsigned(folios.refcount(head), GUP_PIN_COUNTING_BIAS) >= 0;
    }

    @Override
    protected String pinState(int head) {
        return folios.isLarge(head)
                ? "refcount " + folios.refcount(head) + ", pincount " + folios.pincount(head)
                : super.pinState(head);
    }

    @Override
    protected boolean skipsZeroPage() {
        return true;
    }
}
