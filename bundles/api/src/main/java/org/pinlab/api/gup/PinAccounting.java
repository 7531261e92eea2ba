package org.pinlab.api.gup;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.errno.Errno;

/**
 * One machine's pin accounting: grabbing and releasing pages for GUP callers, the
 * {@code page_maybe_dma_pinned} test, the vmstat pin counters and the record of who holds
 * what. Implemented by the {@link PinTracker} plug-in that creates it, called by the kernel.
 */
@ConsumerType
public interface PinAccounting {

    /**
     * {@code try_grab_folio()}: accounts one page for a GUP call: a reference for FOLL_GET,
     * a pin for FOLL_PIN.
     *
     * @return 0, or a negated errno with nothing changed: {@link Errno#ENOMEM}, as
     *         {@code try_grab_folio} returns when the count would overflow, or the errno of an
     *         older layout's check ({@link Errno#EOVERFLOW} from the 2019 RFC's
     *         {@code get_gup_pin_page})
     */
    int tryGrab(int pfn, int foll);

    /**
     * {@code try_grab_folio(folio, refs, flags)}: accounts {@code refs} consecutive subpages
     * of one folio at once, starting at {@code pfn}, as GUP does for a huge page's subpages
     * ({@code gup_fast_pmd_leaf}, and {@code __get_user_pages} with its {@code page_increm}).
     * All or nothing.
     *
     * @return 0, or a negated errno with nothing changed, as {@link #tryGrab}
     */
    default int tryGrabFolio(int pfn, int refs, int foll) {
        for (int i = 0; i < refs; i++) {
            int err = tryGrab(pfn + i, foll);
            if (err != 0) {
                for (int j = 0; j < i; j++) {
                    ungrab(pfn + j, foll);
                }
                return err;
            }
        }
        return 0;
    }

    /**
     * As {@link #tryGrabFolio}, for {@code refs} subpages of one folio found through a huge
     * PMD leaf rather than through PTEs: {@code follow_trans_huge_pmd} on the slow path
     * ({@code fast} false), {@code gup_fast_pmd_leaf} (earlier {@code gup_huge_pmd}) on the
     * fast path. Layouts whose kernel counted these paths differently from the PTE path (the
     * February 2019 RFC left both unconverted or half converted) tell them apart here; by
     * default it is {@link #tryGrabFolio}.
     *
     * @return 0, or a negated errno with nothing changed
     */
    default int tryGrabHugePmd(int pfn, int refs, int foll, boolean fast) {
        return tryGrabFolio(pfn, refs, foll);
    }

    /**
     * {@code gup_put_folio()}: undoes one {@link #tryGrab} of the same flags: {@code put_page}
     * for FOLL_GET, {@code unpin_user_page} for FOLL_PIN.
     */
    void ungrab(int pfn, int foll);

    /**
     * {@code gup_put_folio(folio, refs, flags)}: undoes {@code refs} grabs of the same flags
     * of consecutive subpages of one folio, starting at {@code pfn}, at once: what a failed
     * GUP call gives back per folio run, as {@code unpin_user_pages} does
     * ({@code gup_folio_range_next}). The twin of {@link #tryGrabFolio}; the subpages must all
     * be in one folio.
     */
    default void ungrabFolio(int pfn, int refs, int foll) {
        for (int i = 0; i < refs; i++) {
            ungrab(pfn + i, foll);
        }
    }

    /** {@code folio_maybe_dma_pinned()}: may have false positives, never false negatives. */
    boolean maybeDmaPinned(int pfn);

    /**
     * Records a completed grab so a leak report or a revoke can name its owner. The record
     * keeps a copy of {@code pfns}.
     */
    PinRecord record(String owner, int[] pfns, int foll);

    /**
     * As {@link #record}, but the record keeps {@code pfns} itself instead of a copy: the
     * caller hands its {@code pages[]} over and must leave it as the grab filled it until the
     * record is released, as a driver keeps the array it later gives to
     * {@code unpin_user_pages}. It saves a copy of every page a GUP call grabs. By default it
     * copies, as {@link #record} does.
     */
    default PinRecord recordInPlace(String owner, int[] pfns, int foll) {
        return record(owner, pfns, foll);
    }

    /**
     * Releases a recorded grab the way it was taken ({@code put_page} or
     * {@code unpin_user_pages}), dirtying each page first if asked
     * ({@code set_page_dirty_lock} / {@code unpin_user_pages_dirty_lock}: only pages not
     * already dirty).
     *
     * @throws IllegalStateException if the record was already released
     */
    void release(PinRecord record, boolean dirty);

    /** Every grab not yet released, oldest first. */
    List<PinRecord> outstanding();

    /** {@code nr_foll_pin_acquired}: pages pinned with FOLL_PIN, counted per PAGE_SIZE. */
    long pinsAcquired();

    /** {@code nr_foll_pin_released}. */
    long pinsReleased();
}
