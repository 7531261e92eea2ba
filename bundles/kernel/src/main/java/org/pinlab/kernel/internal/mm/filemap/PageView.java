package org.pinlab.kernel.internal.mm.filemap;

import org.pinlab.api.fs.PageRef;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.mm.swap.PageRefs;

/** The {@link PageRef} a filesystem callback sees: one reused view per machine, valid during the call. */
final class PageView implements PageRef {

    /** {@code GUP_PIN_COUNTING_BIAS}: a FOLL_PIN adds this to a small page's refcount. */
    static final int GUP_PIN_COUNTING_BIAS = 1024;

    private final FrameStore frames;
    private final PageRefs refs;
    private int pfn;

    PageView(FrameStore frames, PageRefs refs) {
        this.frames = frames;
        this.refs = refs;
    }

    PageView at(int pfn) {
        this.pfn = pfn;
        return this;
    }

    @Override
    public int pfn() {
        return pfn;
    }

    @Override
    public int inode() {
        return frames.mapping(pfn);
    }

    @Override
    public int index() {
        return frames.index(pfn);
    }

    @Override
    public int flags() {
        return frames.flags(pfn);
    }

    @Override
    public int privateData() {
        return frames.priv(pfn);
    }

    @Override
    public void attachPrivate(int data) {
        // attach_page_private(): the private data holds a page reference
        if (!frames.testAndSet(pfn, PageFlags.PRIVATE)) {
            frames.addRef(pfn, 1);
        }
        frames.setPriv(pfn, data);
    }

    @Override
    public void detachPrivate() {
        // detach_page_private()
        if (frames.testAndClear(pfn, PageFlags.PRIVATE)) {
            frames.setPriv(pfn, 0);
            refs.putPage(pfn);
        }
    }

    @Override
    public boolean maybeDmaPinned() {
        // page_maybe_dma_pinned(): small pages by the bias, large folios by the exact count
        FrameStore f = frames;
        int head = f.compoundHead(pfn);
        if (f.isLarge(head)) {
            return f.folioPincount(head) > 0;
        }
        return Integer.compareUnsigned(f.refcount(head), GUP_PIN_COUNTING_BIAS) >= 0;
    }
}
