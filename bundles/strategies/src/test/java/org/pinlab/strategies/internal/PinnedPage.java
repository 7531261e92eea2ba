package org.pinlab.strategies.internal;

import org.pinlab.api.fs.PageRef;
import org.pinlab.api.mm.PageFlags;

/**
 * A locked, pinned file page with buffers attached, as the kernel hands it to a policy. Policies
 * decide and the kernel acts, so changing the page fails the test.
 */
public final class PinnedPage implements PageRef {

    private final int flags;

    private PinnedPage(int flags) {
        this.flags = flags;
    }

    /** What write_cache_pages asks about. */
    public static PinnedPage dirty() {
        return new PinnedPage(PageFlags.LOCKED | PageFlags.UPTODATE | PageFlags.DIRTY | PageFlags.LRU
                | PageFlags.PRIVATE);
    }

    /** What shrink_folio_list and truncate ask about. */
    public static PinnedPage clean() {
        return new PinnedPage(PageFlags.LOCKED | PageFlags.UPTODATE | PageFlags.LRU | PageFlags.PRIVATE);
    }

    @Override
    public int pfn() {
        return 42;
    }

    @Override
    public int inode() {
        return 12;
    }

    @Override
    public int index() {
        return 3;
    }

    @Override
    public int flags() {
        return flags;
    }

    @Override
    public int privateData() {
        return 7;
    }

    @Override
    public void attachPrivate(int data) {
        throw new UnsupportedOperationException("a policy decides; the kernel attaches private data");
    }

    @Override
    public void detachPrivate() {
        throw new UnsupportedOperationException("a policy decides; the kernel detaches private data");
    }

    @Override
    public boolean maybeDmaPinned() {
        return true;
    }
}
