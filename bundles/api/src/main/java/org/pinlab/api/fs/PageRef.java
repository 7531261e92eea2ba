package org.pinlab.api.fs;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The page a filesystem callback is about: a view of one frame's {@code struct page},
 * valid only during the call (the kernel reuses the object).
 */
@ProviderType
public interface PageRef {

    int pfn();

    /** The inode number of the file the page caches. */
    int inode();

    /** {@code page->index}: the page's offset in the file, in pages. */
    int index();

    /** The page's flags, as {@link org.pinlab.api.mm.PageFlags} bits. */
    int flags();

    default boolean test(int flag) {
        return (flags() & flag) != 0;
    }

    /** {@code PagePrivate()}. */
    default boolean hasPrivate() {
        return test(org.pinlab.api.mm.PageFlags.PRIVATE);
    }

    /** {@code page->private}: the filesystem's handle, meaningful only with {@link #hasPrivate}. */
    int privateData();

    /** {@code attach_page_private()}: sets PG_private and takes a page reference. */
    void attachPrivate(int data);

    /** {@code detach_page_private()}: clears PG_private and drops that reference. */
    void detachPrivate();

    /** {@code page_maybe_dma_pinned()}: whether the page may be pinned for DMA right now. */
    boolean maybeDmaPinned();
}
