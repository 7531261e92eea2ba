package org.pinlab.kernel.internal.mm.gup;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.FolioCounters;
import org.pinlab.api.mm.PageFlags;

/** The kernel's folio counters as the pin tracker sees them. */
final class FolioCountersView implements FolioCounters {

    private final Gup k;

    FolioCountersView(Gup k) {
        this.k = k;
    }

    @Override
    public int compoundHead(int pfn) {
        return k.frames.compoundHead(pfn);
    }

    @Override
    public boolean isLarge(int pfn) {
        return k.frames.isLarge(pfn);
    }

    @Override
    public int nrPages(int head) {
        return 1 << k.frames.folioOrder(head);
    }

    @Override
    public int refcount(int head) {
        return k.frames.refcount(head);
    }

    @Override
    public void addRefs(int head, int refs) {
        k.frames.addRef(head, refs);
    }

    @Override
    public void putRefs(int head, int refs) {
        k.refs.putPages(head, refs);
        k.pinsDropped(head);
    }

    @Override
    public int pincount(int head) {
        return k.frames.folioPincount(head);
    }

    @Override
    public void addPincount(int head, int delta) {
        k.frames.addFolioPincount(head, delta);
    }

    /**
     * {@code set_page_dirty_lock}. Departure: the model dirties at once instead of sleeping
     * on the page lock; the callers (unpin and put paths) run inside one atomic step.
     */
    @Override
    public void markDirtyLocked(int pfn) {
        k.filemap.setPageDirty(pfn);
    }

    @Override
    public boolean isZeroPage(int pfn) {
        return k.frames.isZeroPage(pfn);
    }

    @Override
    public boolean isDirty(int pfn) {
        return k.frames.test(pfn, PageFlags.DIRTY);
    }

    @Override
    public long now() {
        return k.engine.now();
    }

    @Override
    public void warn(String function, String message) {
        k.printk.warn(function, message);
    }

    @Override
    public void report(FindingKind kind, String message) {
        k.engine.report(kind, message);
    }
}
