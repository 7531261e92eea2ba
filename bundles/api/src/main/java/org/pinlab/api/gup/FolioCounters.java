package org.pinlab.api.gup;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The counters of one machine's folios that pin accounting reads and writes, as the kernel
 * offers them (implemented by the model kernel). All pfns given may be tail pages; the
 * methods that say "head" want the folio's head.
 */
@ProviderType
public interface FolioCounters {

    /** {@code compound_head()}. */
    int compoundHead(int pfn);

    /** {@code folio_test_large()} of the folio containing {@code pfn}. */
    boolean isLarge(int pfn);

    /** {@code folio_nr_pages()}. */
    int nrPages(int head);

    /** {@code folio_ref_count()}. */
    int refcount(int head);

    /** {@code folio_ref_add()} (may go negative only through a bug the kernel would catch). */
    void addRefs(int head, int refs);

    /** {@code folio_put_refs()}: drops references, freeing the folio at zero. */
    void putRefs(int head, int refs);

    /** {@code folio->_pincount} of a large folio. */
    int pincount(int head);

    void addPincount(int head, int delta);

    /** {@code folio_mark_dirty()} under the page lock, as {@code set_page_dirty_lock} does. */
    void markDirtyLocked(int pfn);

    /**
     * {@code is_zero_folio()}: whether {@code pfn} is the shared zero page (the model's one is
     * the page a read of a DAX hole maps). The merged pin layout takes no pin on it.
     */
    boolean isZeroPage(int pfn);

    /** {@code PageDirty()}. */
    boolean isDirty(int pfn);

    /** Simulated time, for pin records. */
    long now();

    /** A WARN finding with the current backtrace, e.g. {@code get_user_pages pin count overflowed}. */
    void warn(String function, String message);

    /** A finding of the named {@link org.pinlab.api.finding.FindingKind} (PIN_UNDERFLOW, PIN_LEAK...). */
    void report(org.pinlab.api.finding.FindingKind kind, String message);
}
