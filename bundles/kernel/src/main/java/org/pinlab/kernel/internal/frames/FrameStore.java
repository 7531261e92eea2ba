package org.pinlab.kernel.internal.frames;

import org.pinlab.api.mm.PageFlags;

/**
 * Every physical frame's {@code struct page}, as parallel primitive arrays indexed by pfn:
 * 32 bytes a frame where the kernel spends 64. Folio metadata lives in the first tail
 * page's fields, as the kernel keeps it there: for a tail, {@code mapping} holds the head's
 * pfn (compound_head); the first tail's {@code index} holds the order (folio_order) and its
 * {@code private} the exact pin count (folio->_pincount).
 */
public final class FrameStore {

    /** Bytes per frame of the arrays below: 6 ints and a long. */
    public static final int BYTES_PER_FRAME = 6 * Integer.BYTES + Long.BYTES;
    /** {@code page->mapping} of a frame owned by nobody. */
    public static final int NO_MAPPING = 0;

    private final int frames;
    /** {@code ZERO_PAGE(0)}'s frame, or -1 while the machine has none (the first DAX mount makes it). */
    private int zeroPage = -1;
    private final int[] flags;
    private final int[] refcount;
    private final int[] mapcount;
    private final int[] mapping;
    private final int[] index;
    private final int[] priv;
    private final long[] token;

    public FrameStore(int frames) {
        this.frames = frames;
        flags = new int[frames];
        refcount = new int[frames];
        mapcount = new int[frames];
        mapping = new int[frames];
        index = new int[frames];
        priv = new int[frames];
        token = new long[frames];
    }

    public int frames() {
        return frames;
    }

    /** Bytes held by the store, for the memory benchmark. */
    public long bytes() {
        return (long) frames * BYTES_PER_FRAME;
    }

    // ---- flags --------------------------------------------------------------------

    public int flags(int pfn) {
        return flags[pfn];
    }

    public boolean test(int pfn, int flag) {
        return (flags[pfn] & flag) != 0;
    }

    public void set(int pfn, int flag) {
        flags[pfn] |= flag;
    }

    public void clear(int pfn, int flag) {
        flags[pfn] &= ~flag;
    }

    /** {@code TestSetPageX}: sets the flag and says whether it was set before. */
    public boolean testAndSet(int pfn, int flag) {
        int old = flags[pfn];
        flags[pfn] = old | flag;
        return (old & flag) != 0;
    }

    /** {@code TestClearPageX}: clears the flag and says whether it was set before. */
    public boolean testAndClear(int pfn, int flag) {
        int old = flags[pfn];
        flags[pfn] = old & ~flag;
        return (old & flag) != 0;
    }

    // ---- counts -------------------------------------------------------------------

    public int refcount(int pfn) {
        return refcount[pfn];
    }

    public void setRefcount(int pfn, int value) {
        refcount[pfn] = value;
    }

    /** {@code page_ref_add}; returns the new count. */
    public int addRef(int pfn, int delta) {
        return refcount[pfn] += delta;
    }

    public int mapcount(int pfn) {
        return mapcount[pfn];
    }

    public int addMapcount(int pfn, int delta) {
        return mapcount[pfn] += delta;
    }

    // ---- ownership ----------------------------------------------------------------

    public int mapping(int pfn) {
        return mapping[pfn];
    }

    public int index(int pfn) {
        return index[pfn];
    }

    /** Sets {@code page->mapping} and {@code page->index} together, as page-cache insertion does. */
    public void setOwner(int pfn, int mappingId, int pageIndex) {
        mapping[pfn] = mappingId;
        index[pfn] = pageIndex;
    }

    /** {@code page->private}: for file pages, the filesystem's handle (buffer heads). */
    public int priv(int pfn) {
        return priv[pfn];
    }

    public void setPriv(int pfn, int value) {
        priv[pfn] = value;
    }

    // ---- contents -----------------------------------------------------------------

    /** The content token: stands for the 4 KiB of data; a write stamps a new one. */
    public long token(int pfn) {
        return token[pfn];
    }

    public void setToken(int pfn, long value) {
        token[pfn] = value;
    }

    // ---- compound pages (folios) ----------------------------------------------------

    /**
     * {@code prep_compound_page()}: makes [head, head + 2^order) one folio.
     */
    public void prepCompound(int head, int order) {
        if (order == 0) {
            return;
        }
        set(head, PageFlags.HEAD);
        int n = 1 << order;
        for (int i = 1; i < n; i++) {
            flags[head + i] = PageFlags.TAIL;
            mapping[head + i] = head;
            refcount[head + i] = 0;
        }
        index[head + 1] = order;
        priv[head + 1] = 0;
    }

    /** Undoes {@link #prepCompound} before the folio is freed ({@code free_tail_page_prepare}). */
    public void destroyCompound(int head) {
        if (!test(head, PageFlags.HEAD)) {
            return;
        }
        int n = 1 << index[head + 1];
        for (int i = 1; i < n; i++) {
            flags[head + i] = 0;
            mapping[head + i] = NO_MAPPING;
            index[head + i] = 0;
            priv[head + i] = 0;
        }
        clear(head, PageFlags.HEAD);
    }

    /** {@code compound_head()}: the folio's head pfn (itself for a small page). */
    public int compoundHead(int pfn) {
        return test(pfn, PageFlags.TAIL) ? mapping[pfn] : pfn;
    }

    /** {@code folio_order()}. */
    public int folioOrder(int pfn) {
        int head = compoundHead(pfn);
        return test(head, PageFlags.HEAD) ? index[head + 1] : 0;
    }

    /** {@code folio_test_large()}. */
    public boolean isLarge(int pfn) {
        return test(compoundHead(pfn), PageFlags.HEAD);
    }

    /** {@code folio->_pincount} of a large folio (kept in the first tail page). */
    public int folioPincount(int head) {
        return priv[head + 1];
    }

    public int addFolioPincount(int head, int delta) {
        return priv[head + 1] += delta;
    }

    /** Resets a frame's fields when it goes back to the allocator. */
    public void reset(int pfn) {
        flags[pfn] = 0;
        refcount[pfn] = 0;
        mapcount[pfn] = 0;
        mapping[pfn] = NO_MAPPING;
        index[pfn] = 0;
        priv[pfn] = 0;
    }

    /** The shared zero page's frame ({@code ZERO_PAGE(0)}), or -1 while there is none. */
    public int zeroPage() {
        return zeroPage;
    }

    /** Makes {@code pfn} the shared zero page: read-only, shared by every read of a hole. */
    public void setZeroPage(int pfn) {
        zeroPage = pfn;
    }

    /** {@code is_zero_pfn()}. */
    public boolean isZeroPage(int pfn) {
        return pfn == zeroPage && pfn >= 0;
    }
}
