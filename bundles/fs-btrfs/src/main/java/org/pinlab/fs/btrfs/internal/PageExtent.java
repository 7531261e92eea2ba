package org.pinlab.fs.btrfs.internal;

/**
 * What btrfs knows about one page of a file: its extent on disk (the file extent item), the
 * extent it replaced that is pinned until the transaction commits, and whether the page's
 * range is delalloc with space reserved ({@code EXTENT_DELALLOC} in the inode's io tree).
 * One block per page.
 */
final class PageExtent {

    static final long NONE = -1;

    /** The block the file extent item points to, or NONE for a hole. */
    long block = NONE;
    /** The block this page's last COW write replaced, freed at the next commit; or NONE. */
    long pinned = NONE;
    /** EXTENT_DELALLOC: page_mkwrite (or the cow fixup) reserved a block for the next write. */
    boolean delalloc;
    /** PG_checked: a cow fixup is queued for the page and has not run yet. */
    boolean fixupQueued;
    /** Generation of the write now on {@link #block}, which its checksum covers. */
    long generation;

    boolean isHole() {
        return block == NONE;
    }
}
