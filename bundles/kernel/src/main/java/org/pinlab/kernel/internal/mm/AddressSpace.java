package org.pinlab.kernel.internal.mm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A file's page cache ({@code struct address_space}): which frame caches each page index,
 * with the DIRTY and WRITEBACK tags writeback looks pages up by, and the VMAs that map the
 * file ({@code i_mmap}) for reverse mapping.
 *
 * <p>Departure from the kernel: a flat array per file instead of an XArray; the model's
 * files are small and dense, and the array keeps lookups O(1) and iteration ordered.
 */
public final class AddressSpace {

    public static final int NONE = -1;

    private final int id;
    private int[] pages;
    private long[] dirtyTag;
    private long[] writebackTag;
    /** PAGECACHE_TAG_TOWRITE: the dirty pages a data-integrity pass set out to write. */
    private long[] towriteTag;
    private int nrPages;
    private int nrDirty;
    /** The VMAs mapping this file, in mapping order ({@code mapping->i_mmap}). */
    public final List<Vma> mappers = new ArrayList<>(2);
    /** Snapshot writes of this file's pages still in flight (they come from bounce copies). */
    public int bounceInFlight;
    /** Data-integrity sync waits here for {@link #bounceInFlight} to drain. */
    public final org.pinlab.sim.WaitQueue bounceWait = new org.pinlab.sim.WaitQueue("bounce_writes");
    /** When the inode was first dirtied since last clean ({@code inode->dirtied_when}), or -1. */
    public long dirtiedWhen = -1;
    /** Pages {@code ->writepage} gave back dirty ({@code folio_redirty_for_writepage}), ever: writeback counts its own. */
    public long redirtied;
    /** {@code mapping->wb_err}: the last writeback error, as an {@link Errseq} value. */
    public int wbErr;
    /**
     * Model-only: per page, the data whose write failed with an error recorded in
     * {@link #wbErr}, which fsync reports instead of lying about; 0 where none.
     */
    private long[] lostToError = new long[0];

    public AddressSpace(int id, int sizePages) {
        this.id = id;
        pages = new int[Math.max(1, sizePages)];
        Arrays.fill(pages, NONE);
        dirtyTag = new long[(pages.length + 63) >>> 6];
        writebackTag = new long[dirtyTag.length];
        towriteTag = new long[dirtyTag.length];
    }

    public int id() {
        return id;
    }

    /**
     * {@code mapping_set_error} (include/linux/pagemap.h, v6.12) for the write of page
     * {@code index} holding {@code token}: the error goes into {@code wb_err}, and the model
     * remembers which data it cost.
     */
    public void setError(int err, int index, long token) {
        wbErr = Errseq.set(wbErr, err);
        if (index >= lostToError.length) {
            lostToError = Arrays.copyOf(lostToError, Math.max(index + 1, pages.length));
        }
        lostToError[index] = token;
    }

    /** The data of page {@code index} a recorded writeback error lost, or 0. */
    public long lostToError(int index) {
        return index < lostToError.length ? lostToError[index] : 0;
    }

    public int capacity() {
        return pages.length;
    }

    public int nrPages() {
        return nrPages;
    }

    public int nrDirty() {
        return nrDirty;
    }

    /** {@code filemap_get_folio}: the frame caching {@code index}, or {@link #NONE}. */
    public int lookup(int index) {
        return index < pages.length ? pages[index] : NONE;
    }

    /** {@code filemap_add_folio}. */
    public void insert(int index, int pfn) {
        if (index >= pages.length) {
            grow(index + 1);
        }
        if (pages[index] != NONE) {
            throw new IllegalStateException("mapping " + id + " already caches index " + index);
        }
        pages[index] = pfn;
        nrPages++;
    }

    /** {@code __xa_store} by migration: the same index, another frame. */
    public void replace(int index, int pfn) {
        if (pages[index] == NONE) {
            throw new IllegalStateException("mapping " + id + " caches nothing at index " + index);
        }
        pages[index] = pfn;
    }

    /** {@code __filemap_remove_folio}. */
    public void delete(int index) {
        pages[index] = NONE;
        nrPages--;
        setDirtyTag(index, false);
        setWritebackTag(index, false);
        clearTowriteTag(index); // the marks go with the XArray entry
    }

    public void setDirtyTag(int index, boolean on) {
        long bit = 1L << index;
        long word = dirtyTag[index >>> 6];
        if (on && (word & bit) == 0) {
            nrDirty++;
            dirtyTag[index >>> 6] = word | bit;
        } else if (!on && (word & bit) != 0) {
            nrDirty--;
            dirtyTag[index >>> 6] = word & ~bit;
        }
    }

    public void setWritebackTag(int index, boolean on) {
        if (on) {
            writebackTag[index >>> 6] |= 1L << index;
        } else {
            writebackTag[index >>> 6] &= ~(1L << index);
        }
    }

    /**
     * {@code tag_pages_for_writeback} (mm/page-writeback.c, v6.12): every page tagged dirty is
     * tagged TOWRITE, the set a {@code WB_SYNC_ALL} pass writes.
     */
    public void tagPagesForWriteback() {
        if (towriteTag.length != dirtyTag.length) {
            towriteTag = new long[dirtyTag.length];
        }
        for (int w = 0; w < dirtyTag.length; w++) {
            towriteTag[w] |= dirtyTag[w];
        }
    }

    /** Clears the TOWRITE tag of {@code index} ({@code __folio_start_writeback}, or the pass passing it). */
    public void clearTowriteTag(int index) {
        if ((index >>> 6) < towriteTag.length) {
            towriteTag[index >>> 6] &= ~(1L << index);
        }
    }

    /** The first index at or after {@code from} tagged TOWRITE, or -1. */
    public int nextTowrite(int from) {
        return nextTagged(towriteTag, from);
    }

    /** The first index at or after {@code from} tagged dirty ({@code filemap_get_folios_tag}), or -1. */
    public int nextDirty(int from) {
        return nextTagged(dirtyTag, from);
    }

    /** The first index at or after {@code from} tagged writeback, or -1. */
    public int nextWriteback(int from) {
        return nextTagged(writebackTag, from);
    }

    private int nextTagged(long[] tags, int from) {
        int w = from >>> 6;
        if (w >= tags.length) {
            return -1;
        }
        long word = tags[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(word);
            }
            if (++w == tags.length) {
                return -1;
            }
            word = tags[w];
        }
    }

    private void grow(int minSize) {
        int n = Math.max(minSize, pages.length * 2);
        int old = pages.length;
        pages = Arrays.copyOf(pages, n);
        Arrays.fill(pages, old, n, NONE);
        dirtyTag = Arrays.copyOf(dirtyTag, (n + 63) >>> 6);
        writebackTag = Arrays.copyOf(writebackTag, dirtyTag.length);
        towriteTag = Arrays.copyOf(towriteTag, dirtyTag.length);
    }
}
