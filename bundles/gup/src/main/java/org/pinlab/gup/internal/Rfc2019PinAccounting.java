package org.pinlab.gup.internal;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.FolioCounters;

/**
 * The layout of John Hubbard's tracking RFC of February 2019 ("[PATCH 4/6] mm/gup: track
 * gup-pinned pages", 3 Feb 2019, on top of "mm: introduce put_user_page*(), placeholder
 * versions"), the one Ira Weiny ran when he hit seed 000's WARN in March 2019. There was no
 * FOLL_PIN yet: every {@code get_user_pages} with pages was a pin, and the model's FOLL_PIN
 * stands for it (a FOLL_GET grab stays a plain reference, so legacy callers stay
 * comparable). Exactly as the patch had it:
 * <ul>
 * <li>{@code get_gup_pin_page} (follow_page_pte): {@code page = compound_head(page)}, then
 * {@code if (page_ref_count(page) >= (UINT_MAX - GUP_PIN_COUNTING_BIAS))} WARN_ONCE
 * "get_user_pages pin count overflowed" and -EOVERFLOW, else
 * {@code page_ref_add(page, GUP_PIN_COUNTING_BIAS)}. The bias is {@code 1UL << 10}, an
 * unsigned long, so on 64-bit the int count is sign-extended and the test holds exactly
 * when the count is negative.</li>
 * <li>{@code put_user_page} (mm/swap.c): {@code page_ref_sub(page, GUP_PIN_COUNTING_BIAS)} on
 * the head, with only a {@code VM_BUG_ON_PAGE(page_ref_count(page) < GUP_PIN_COUNTING_BIAS)}
 * that CONFIG_DEBUG_VM compiles in: without it, more puts than gets drive the count
 * negative, silently.</li>
 * <li>the patch leaves mm/huge_memory.c alone, so {@code follow_trans_huge_pmd} still takes
 * {@code get_page()}: a THP found under a huge PMD by the slow path gets one plain
 * reference per subpage, not a pin, but is released with {@code put_user_page};</li>
 * <li>{@code gup_huge_pmd} (gup-fast) adds the bias once for the whole huge PMD
 * ({@code page_cache_gup_pin_speculative(head)}), where it used to add one reference per
 * subpage.</li>
 * </ul>
 */
final class Rfc2019PinAccounting extends AbstractPinAccounting {

    /** The message of the RFC's WARN_ONCE in {@code get_gup_pin_page} (seed 000). */
    static final String OVERFLOW_MESSAGE = "get_user_pages pin count overflowed";

    /** {@code UINT_MAX - GUP_PIN_COUNTING_BIAS} as the unsigned long the C comparison uses on 64-bit. */
    static final long OVERFLOW_THRESHOLD = 0xFFFF_FFFFL - GUP_PIN_COUNTING_BIAS;

    private boolean warnedOverflow;

    Rfc2019PinAccounting(FolioCounters folios) {
        super(folios);
    }

    /**
     * The RFC's test, {@code page_ref_count(page) >= (UINT_MAX - GUP_PIN_COUNTING_BIAS)}, as
     * C evaluates it on LP64: {@code int} against {@code unsigned long}, so the count is
     * sign-extended to 64 bits and compared unsigned. True exactly for a negative count.
     */
    static boolean overflowed(int refcount) {
        return Long.compareUnsigned((long) refcount, OVERFLOW_THRESHOLD) >= 0;
    }

    @Override
    protected boolean guardsFreePage() {
        return false; // the RFC predates v5.1's try_get_page checks; its own check is below
    }

    @Override
    protected boolean dropsUnpinned() {
        return true; // put_user_page: VM_BUG_ON_PAGE only under CONFIG_DEBUG_VM
    }

    @Override
    protected String unpinName() {
        return "put_user_page";
    }

    @Override
    protected int grabPin(int pfn, int head, int refcount, int refs, GupPath path) {
        switch (path) {
            case HUGE_PMD:
                // follow_trans_huge_pmd (mm/huge_memory.c, untouched by the RFC):
                // if (flags & FOLL_GET) get_page(page); one plain reference per subpage, no check
                folios.addRefs(head, refs);
                return 0;
            case HUGE_PMD_FAST:
                // gup_huge_pmd (RFC): page_cache_gup_pin_speculative(head) once for all refs
                // subpages; it fails only on a zero count (page_ref_add_unless(page, 1024, 0))
                if (refcount == 0) {
                    return Errno.ENOMEM.negative();
                }
                folios.addRefs(head, GUP_PIN_COUNTING_BIAS);
                return 0;
            default:
                // get_gup_pin_page() per subpage, all on the head.
                // Departures: a run refused part-way through keeps, in the kernel, the pins
                // before the refused subpage (__get_user_pages then returns how many); the
                // model refuses the whole run. And the RFC's gup-fast PTE path
                // (page_cache_gup_pin_speculative) had no such check: the model checks there too.
                for (int j = 0; j < refs; j++) {
                    if (overflowed(refcount + j * GUP_PIN_COUNTING_BIAS)) {
                        if (!warnedOverflow) {
                            warnedOverflow = true; // WARN_ONCE: once per machine
                            folios.warn("get_gup_pin_page", OVERFLOW_MESSAGE);
                        }
                        return Errno.EOVERFLOW.negative();
                    }
                }
                folios.addRefs(head, GUP_PIN_COUNTING_BIAS * refs);
                return 0;
        }
    }

    @Override
    protected void dropPin(int head, int refs) {
        // put_user_page() per subpage: page_ref_sub(head, GUP_PIN_COUNTING_BIAS). Unchecked,
        // and it never frees: a page whose last reference goes this way stays allocated
        folios.addRefs(head, -GUP_PIN_COUNTING_BIAS * refs);
    }

    @Override
    public boolean maybeDmaPinned(int pfn) {
        // page_gup_pinned() (RFC): page_ref_count(page) > GUP_PIN_COUNTING_BIAS, signed and
        // strict. Departure: the RFC read the page it was given (it had no caller yet); the
        // model reads the head, as every later version does.
        return folios.refcount(folios.compoundHead(pfn)) > GUP_PIN_COUNTING_BIAS;
    }

    @Override
    protected boolean skipsZeroPage() {
        return false;
    }
}
