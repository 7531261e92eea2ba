package org.pinlab.fs.btrfs.internal;

import java.util.Map;
import java.util.TreeMap;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageFlags;

/**
 * One mounted btrfs, as v6.15 has it for 4K blocks on 4K pages: {@code page_mkwrite} reserves
 * delalloc space, writeback copies every page on write to a newly allocated block with a data
 * checksum computed at submission, the replaced block stays pinned until its transaction
 * commits, and a page dirtied behind the filesystem's back goes through the cow fixup.
 * Departures (README): no trees, no transactions, no compression, one block per page, the
 * ordered extent finished when the write is submitted.
 */
final class BtrfsSuperblock implements Superblock {

    /** {@code -EUCLEAN}: what an experimental build's writeback returns for an out-of-band dirty folio. */
    static final int EUCLEAN = Errno.EUCLEAN.negative();
    /** {@code page->private} as {@code set_folio_extent_mapped} sets it: EXTENT_FOLIO_PRIVATE, no subpage state. */
    static final int EXTENT_FOLIO_PRIVATE = 1;
    /** {@code BTRFS_FS_TREE_OBJECTID}: the root every file of the model lives in, as messages print it. */
    static final int FS_TREE = 5;

    private final FsKernel kernel;
    private final BtrfsOptions options;
    private final DataSpace space;
    private final CsumTree csums = new CsumTree();
    /** Per page, keyed by inode then index so a file's range is one sub-map. */
    private final TreeMap<Long, PageExtent> pages = new TreeMap<>();
    /** Counts writes, as transids count transactions: each write's checksum covers its own generation. */
    private long generation;

    BtrfsSuperblock(FsKernel kernel, BtrfsOptions options) {
        this.kernel = kernel;
        this.options = options;
        this.space = new DataSpace(kernel.blocks());
    }

    private static long key(int inode, int index) {
        return ((long) inode << 32) | (index & 0xffffffffL);
    }

    private PageExtent extent(PageRef page) {
        return pages.computeIfAbsent(key(page.inode(), page.index()), k -> new PageExtent());
    }

    @Override
    public String typeName() {
        return "btrfs";
    }

    @Override
    public boolean needsPageMkwrite() {
        return true;
    }

    @Override
    public boolean stableWrites() {
        // v6.15 "btrfs: expose per-inode stable writes flag": btrfs_update_inode_mapping_flags sets
        // AS_STABLE_WRITES unless NODATASUM; no fs/btrfs seen sets SB_I_STABLE_WRITES. Departure: per mount.
        return options.dataSum();
    }

    @Override
    public int pageMkwrite(PageRef page) {
        // btrfs_page_mkwrite (fs/btrfs/file.c, v6.15): btrfs_delalloc_reserve_space before the folio lock
        PageExtent e = extent(page);
        if (!e.delalloc) {
            if (!space.reserve()) {
                // vmf_error(-ENOSPC): SIGBUS. v6.15 fails even over a NOCOW extent; a later patch
                // (Filipe Manana, 2025) tries btrfs_check_nocow_lock first
                return Errno.ENOSPC.negative();
            }
            e.delalloc = true; // btrfs_set_extent_delalloc: EXTENT_DELALLOC over the page
        }
        // folio_wait_writeback is the kernel's here (stableWrites); btrfs_start_ordered_extent has
        // nothing to wait for, as the model finishes an ordered extent at submission
        setExtentMapped(page);
        return 0;
    }

    @Override
    public int fsyncWritePasses() {
        // btrfs_sync_file (fs/btrfs/file.c, v6.12): start_ordered_ops, take the inode and mmap locks,
        // start_ordered_ops again ("someone may have dirtied more pages"), then wait
        return 2;
    }

    @Override
    public int writepage(PageRef page) {
        // btrfs_writepages -> extent_write_cache_pages -> extent_writepage (fs/btrfs/extent_io.c, v6.15)
        PageExtent e = extent(page);
        if (!e.delalloc) {
            return outOfBandDirty(page, e);
        }
        setExtentMapped(page);
        // writepage_delalloc -> btrfs_run_delalloc_range: the reservation becomes an ordered extent
        e.delalloc = false;
        long block;
        if (!options.dataCow() && !e.isHole()) {
            // run_delalloc_nocow: an unshared extent (no snapshots here) is overwritten in place and
            // the data reservation given back; no checksum, as nodatacow implies nodatasum
            space.release();
            block = e.block;
        } else {
            // cow_file_range -> btrfs_reserve_extent: every write goes to a newly allocated block
            block = space.allocateReserved();
            commitPinned(e);
            e.pinned = e.block; // btrfs_drop_extents at ordered completion: freed when the transaction commits
            e.block = block;
        }
        e.generation = ++generation;
        if (options.dataSum()) {
            // btrfs_submit_chunk -> btrfs_bio_csum -> btrfs_csum_one_bio: summed as submitted
            csums.record(block, CsumTree.sum(page.inode(), page.index(), e.generation));
        }
        kernel.startWriteback(page); // extent_writepage_io: folio_start_writeback
        kernel.submitWrite(page, block); // submit_one_sector -> submit_extent_folio
        return 0;
    }

    /**
     * A dirty page whose range is not delalloc: dirtied without {@code page_mkwrite}, so it
     * has no reserved space and no ordered extent ({@code folio_test_ordered} is false).
     * Nothing is written now.
     *
     * @return 0 when the page was given back dirty for the cow fixup, or the errno writeback ends with
     */
    private int outOfBandDirty(PageRef page, PageExtent e) {
        if (options.rejectOutOfBand()) {
            // CONFIG_BTRFS_EXPERIMENTAL since 7ca3e84980ef (v6.15): extent_writepage checks folio private,
            // btrfs_writepage_cow_fixup the ordered flag; either logs this and fails the folio with -EUCLEAN
            kernel.warn(page.hasPrivate() ? "btrfs_writepage_cow_fixup" : "extent_writepage", "BTRFS error: root "
                    + FS_TREE + " ino " + page.inode() + " folio " + (long) page.index() * MemoryLayout.PAGE_SIZE
                    + " is marked dirty without notifying the fs");
            return EUCLEAN; // no writeback started; the kernel records it (mapping_set_error), the data is dropped
        }
        // default build: btrfs_writepage_cow_fixup (fs/btrfs/inode.c; read in a v6.5-era tree, the same
        // through v6.15) returns -EAGAIN, queueing btrfs_writepage_fixup_worker unless the folio is already
        // Checked (one is queued); extent_writepage_io then folio_redirty_for_writepage and unlocks
        if (!e.fixupQueued) {
            e.fixupQueued = true; // btrfs_folio_set_checked
            kernel.queueFolioWork("btrfs_writepage_fixup_worker", page, this::writepageFixupWorker);
        }
        kernel.redirtyForWritepage(page);
        return 0;
    }

    /**
     * {@code btrfs_writepage_fixup_worker}, with the folio locked: reserve the space
     * ({@code btrfs_delalloc_reserve_space}) and mark the range delalloc, so the next writeback
     * writes the page normally; on -ENOSPC record the error and clean the folio, which drops
     * its data. Departure: the reservation is taken under the folio lock, not just before it.
     */
    private void writepageFixupWorker(PageRef page) {
        PageExtent e = extent(page);
        if (!page.test(PageFlags.DIRTY) || !e.fixupQueued) {
            e.fixupQueued = false; // cleaned, or invalidated and dirtied again, meanwhile: nothing to fix
            return;
        }
        e.fixupQueued = false; // btrfs_folio_clear_checked
        if (e.delalloc) {
            return; // a page_mkwrite reserved it meanwhile (the worker's "already ordered/delalloc" exit)
        }
        if (!space.reserve()) {
            kernel.mappingSetError(page, Errno.ENOSPC.negative());
            kernel.clearDirtyForIo(page);
            return;
        }
        e.delalloc = true; // btrfs_set_extent_delalloc
    }

    /** {@code set_folio_extent_mapped}: every btrfs data folio carries private, from read, fault or write. */
    private static void setExtentMapped(PageRef page) {
        if (!page.hasPrivate()) {
            page.attachPrivate(EXTENT_FOLIO_PRIVATE);
        }
    }

    /**
     * The transaction that dropped the page's old extent commits ({@code btrfs_finish_extent_commit}
     * -> {@code unpin_extent_range}). Departure: the model commits when it next sees the page with
     * no write in flight, so a replaced block is never freed before the write replacing it.
     */
    private void commitPinned(PageExtent e) {
        if (e.pinned != PageExtent.NONE) {
            free(e.pinned);
            e.pinned = PageExtent.NONE;
        }
    }

    private void free(long block) {
        space.free(block);
        csums.drop(block); // btrfs_del_csums when the data extent is freed
    }

    @Override
    public int readPage(PageRef page) {
        // btrfs_read_folio -> btrfs_do_readpage (fs/btrfs/extent_io.c, v6.15)
        setExtentMapped(page);
        PageExtent e = pages.get(key(page.inode(), page.index()));
        if (e == null || e.isHole()) {
            kernel.zeroPage(page); // EXTENT_MAP_HOLE: folio_zero_range
        } else {
            // btrfs_submit_bio; the sum is checked at completion (btrfs_data_csum_ok), which the SPI
            // does not show a filesystem: the kernel's torn-write oracle stands for "csum failed"
            kernel.submitRead(page, e.block);
        }
        return 0;
    }

    @Override
    public boolean releasePage(PageRef page) {
        // btrfs_release_folio -> __btrfs_release_folio (fs/btrfs/inode.c, v6.15): never under writeback or dirty
        if (page.test(PageFlags.WRITEBACK) || page.test(PageFlags.DIRTY)) {
            return false;
        }
        PageExtent e = pages.get(key(page.inode(), page.index()));
        if (e != null) {
            commitPinned(e); // clean and not under writeback: the write that replaced it is durable
        }
        if (page.hasPrivate()) {
            page.detachPrivate(); // clear_folio_extent_mapped
        }
        return true;
    }

    @Override
    public void invalidatePage(PageRef page) {
        // btrfs_invalidate_folio (fs/btrfs/inode.c, v6.15): clears EXTENT_DELALLOC with EXTENT_CLEAR_DATA_RESV
        PageExtent e = pages.get(key(page.inode(), page.index()));
        if (e != null) {
            e.fixupQueued = false; // btrfs_folio_clear_checked: a queued fixup finds the folio gone
            if (e.delalloc) {
                space.release();
                e.delalloc = false;
            }
            commitPinned(e); // truncate waited for writeback
        }
        if (page.hasPrivate()) {
            page.detachPrivate(); // clear_folio_extent_mapped
        }
    }

    @Override
    public void freeBlocks(int inode, int from, int to) {
        // btrfs_punch_hole / btrfs_truncate_inode_items -> btrfs_drop_extents -> btrfs_free_extent;
        // departure: the blocks are free at once, not at the transaction's commit
        if (from >= to) {
            return;
        }
        Map<Long, PageExtent> range = pages.subMap(key(inode, Math.max(0, from)), key(inode, to));
        for (PageExtent e : range.values()) {
            if (!e.isHole()) {
                free(e.block);
            }
            commitPinned(e);
            if (e.delalloc) {
                space.release();
            }
        }
        range.clear();
    }

    @Override
    public long mappedBlock(int inode, int index) {
        // btrfs_get_extent: the file extent item's block; delalloc not yet written is a hole on disk
        PageExtent e = pages.get(key(inode, index));
        return e == null ? -1 : e.block;
    }

    /** Blocks neither in use nor reserved. */
    long freeBlockCount() {
        return space.free();
    }

    long reservedBlockCount() {
        return space.reserved();
    }

    long usedBlockCount() {
        return space.used();
    }

    /** The checksum recorded for a block, or null. */
    Long csum(long block) {
        return csums.lookup(block);
    }

    int csumCount() {
        return csums.size();
    }

    /** The generation of the write on a page's block, which its checksum covers. */
    long generation(int inode, int index) {
        PageExtent e = pages.get(key(inode, index));
        return e == null ? 0 : e.generation;
    }
}
