package org.pinlab.gup.internal;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.FolioCounters;

/**
 * The pin layout of John Hubbard's FOLL_PIN series of November and December 2019
 * ("mm/gup: track FOLL_PIN pages", v11 of 16 Dec 2019, 8086d1c61970 in linux-next; seed
 * 004's era: "I've taken 21 bits (!) to track gupers ... I'm sharing 31 bits with
 * get_page()"). Every pin adds {@code GUP_PIN_COUNTING_BIAS} to the refcount of the folio's
 * head, whatever the folio's size, so each subpage pin of a THP lands 1024 on the head;
 * there is no separate pincount yet (the exact {@code hpage_pinned_refcount} of huge pages
 * came with the v5.7 merge). Its only overflow check is the one it inherited from v5.1,
 * {@code try_get_compound_head}'s {@code WARN_ON_ONCE(page_ref_count(head) < 0)}: the count
 * may wrap, and the grab after the wrap is refused.
 */
final class FollPin2019PinAccounting extends AbstractPinAccounting {

    /** Where the series' WARN_ON_ONCE fires, and its condition (WARN_ON_ONCE has no message). */
    static final String OVERFLOW_FUNCTION = "try_get_compound_head";
    static final String OVERFLOW_MESSAGE = "WARN_ON_ONCE(page_ref_count(head) < 0)";

    private boolean warnedOverflow;

    FollPin2019PinAccounting(FolioCounters folios) {
        super(folios);
    }

    @Override
    protected boolean guardsFreePage() {
        return false; // the v5.1 check of this era is try_get_compound_head's, below
    }

    @Override
    protected int grabPin(int pfn, int head, int refcount, int refs, GupPath path) {
        // try_pin_compound_head(page, refs) (Dec 2019): try_get_compound_head(page,
        // GUP_PIN_COUNTING_BIAS * refs), which does
        //   if (WARN_ON_ONCE(page_ref_count(head) < 0)) return NULL;
        //   if (!page_cache_add_speculative(head, refs)) return NULL;   (fails on a zero count)
        // and the caller turns NULL into -ENOMEM. The add itself may wrap the int count.
        // gup-fast takes a huge PMD in one call, one check; the slow path (follow_page_pte,
        // follow_trans_huge_pmd) pins subpage by subpage, one check each.
        // Departure: a run refused part-way through in the kernel keeps the pins before the
        // refused subpage (and __get_user_pages returns how many); the model refuses the
        // whole run and takes none.
        int checks = path == GupPath.HUGE_PMD_FAST ? 1 : refs;
        for (int j = 0; j < checks; j++) {
            int before = refcount + j * GUP_PIN_COUNTING_BIAS; // int arithmetic wraps as atomic_t does
            if (before < 0) {
                if (!warnedOverflow) {
                    warnedOverflow = true; // WARN_ON_ONCE: once per machine
                    folios.warn(OVERFLOW_FUNCTION, OVERFLOW_MESSAGE);
                }
                return Errno.ENOMEM.negative();
            }
            if (before == 0) {
                return Errno.ENOMEM.negative(); // page_cache_add_speculative: a free page, no WARN
            }
        }
        // page_ref_add(head, GUP_PIN_COUNTING_BIAS * refs), all on the head
        folios.addRefs(head, GUP_PIN_COUNTING_BIAS * refs);
        return 0;
    }

    @Override
    protected void dropPin(int head, int refs) {
        // unpin_user_page() of the series, once per subpage: page_ref_sub_and_test(head,
        // GUP_PIN_COUNTING_BIAS), freeing the page at zero
        folios.putRefs(head, GUP_PIN_COUNTING_BIAS * refs);
    }

    @Override
    public boolean maybeDmaPinned(int pfn) {
        // page_dma_pinned() of the series, with the unsigned read Jan Kara asked for in its
        // review ("page_dma_pinned() has to be careful and type page_ref_count() to unsigned
        // type ... as otherwise overflowed refcount would suddenly appear as not-pinned"):
        // false positives after 1024 plain references, never a false negative
        int head = folios.compoundHead(pfn);
        return Integer.compareUnsigned(folios.refcount(head), GUP_PIN_COUNTING_BIAS) >= 0;
    }

    @Override
    protected boolean skipsZeroPage() {
        return false;
    }
}
