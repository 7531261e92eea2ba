package org.pinlab.fs.ext4.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;
import org.pinlab.api.mm.PageFlags;

/**
 * One mounted ext4: delayed allocation over the kernel's block device, buffer heads as
 * {@code PG_private}, and the writeback check for buffers that seed 001 crashed on, as the
 * chosen kernel has it (4.4, 6.1 or 6.12) in the chosen data mode (ordered or journal).
 * Departures from ext4: no journal area (data=journal writes go straight to their block), no
 * extents (one block per page, a map per page), no inline data, and the block allocator takes
 * the lowest free block instead of mballoc's goal.
 */
final class Ext4Superblock implements Superblock {

    /** The kernels whose ext4 writeback the model has: seed 001's, the last with ->writepage, and today's. */
    enum Kernel {
        /** v4.4 (seed 001's Ubuntu 4.4.0): page_buffers() BUG_ONs on a page without buffers; no dirty_folio WARNs. */
        V4_4("4.4"),
        /** v6.1: the v5.18 warning (cc5095747edf) in mpage_prepare_extent_to_map and in ext4_writepage. */
        V6_1("6.1"),
        /** v6.12: no ext4_writepage since dae999602eeb (v6.2); data=journal goes through mpage_prepare_extent_to_map. */
        V6_12("6.12");

        final String option;

        Kernel(String option) {
            this.option = option;
        }

        static Kernel of(String option) {
            for (Kernel k : values()) {
                if (k.option.equals(option)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no ext4 kernel " + option);
        }
    }

    /** {@code kernel BUG at} lines of v4.4's fs/ext4/inode.c (checked in a v4.4.0 tree). */
    static final String BUG_SITE_ORDERED = "fs/ext4/inode.c:2394";
    static final String BUG_SITE_JOURNAL = "fs/ext4/inode.c:1843";

    /** {@code page->private}: one buffer head, as the model has one block per page. */
    static final int ONE_BUFFER_HEAD = 1;

    private final FsKernel kernel;
    private final Kernel version;
    /** data=journal ({@code ext4_should_journal_data}): no delalloc, journalled writeback. */
    private final boolean journal;
    /** ext4_dirty_folio's two WARN_ON_ONCEs; departure: once per mount, where the kernel's are once per boot. */
    private boolean warnedUnlockedClean;
    private boolean warnedNoBuffers;
    private final boolean dataChecksums;

    /** The block map ({@code ext4_map_blocks}'s answer): page key -> block. */
    private final Map<Long, Long> allocated = new HashMap<>();
    /** Pages with a delalloc reservation ({@code i_reserved_data_blocks}) but no block yet. */
    private final Set<Long> reserved = new HashSet<>();
    /** Freed blocks, handed out again lowest first. */
    private final TreeSet<Long> freed = new TreeSet<>();
    /** Blocks below this were handed out at least once. */
    private long neverUsedFrom;

    /** Blocks written as unwritten extents whose conversion has not run yet (dioread_nolock). */
    private final Set<Long> unwritten = new HashSet<>();
    /** Pages dirtied with {@code PG_checked} (data=journal): journalled data waiting for writeback. */
    private final Set<Long> checked = new HashSet<>();

    Ext4Superblock(FsKernel kernel, Kernel version, boolean journal, boolean dataChecksums) {
        this.kernel = kernel;
        this.version = version;
        this.journal = journal;
        this.dataChecksums = dataChecksums;
    }

    private static long key(int inode, int index) {
        return ((long) inode << 32) | (index & 0xffffffffL);
    }

    @Override
    public String typeName() {
        return "ext4";
    }

    @Override
    public boolean needsPageMkwrite() {
        return true;
    }

    @Override
    public boolean stableWrites() {
        // data_csum=on: SB_I_STABLE_WRITES as btrfs sets it for data checksums (ext4 has none)
        return dataChecksums;
    }

    @Override
    public boolean hasBackingStore() {
        return true;
    }

    /** Whether writeback warns about a page without buffers (v5.18 on) instead of BUGging. */
    boolean warnsOnMissingBuffers() {
        return version != Kernel.V4_4;
    }

    boolean journalsData() {
        return journal;
    }

    /** Blocks neither allocated nor reserved ({@code ext4_has_free_clusters}). */
    long freeBlockCount() {
        return kernel.blocks() - allocated.size() - reserved.size();
    }

    @Override
    public int pageMkwrite(PageRef page) {
        long key = key(page.inode(), page.index());
        if (journal) {
            // ext4_page_mkwrite, data=journal (no delalloc, ext4_check_journal_data_mode): ext4_get_block
            // allocates now, do_journal_get_write_access, ext4_journal_stop
            if (!allocated.containsKey(key)) {
                if (freeBlockCount() <= 0) {
                    return Errno.ENOSPC.negative();
                }
                allocated.put(key, allocateBlock());
            }
            if (!page.hasPrivate()) {
                page.attachPrivate(ONE_BUFFER_HEAD);
            }
            return 0;
        }
        // ext4_page_mkwrite -> block_page_mkwrite(ext4_da_get_block_prep)
        if (!allocated.containsKey(key) && !reserved.contains(key)) {
            // ext4_da_reserve_space: count the block against free space, assign nothing yet
            if (freeBlockCount() <= 0) {
                return Errno.ENOSPC.negative();
            }
            reserved.add(key);
        }
        if (!page.hasPrivate()) {
            // create_empty_buffers -> attach_page_private
            page.attachPrivate(ONE_BUFFER_HEAD);
        }
        return 0;
    }

    @Override
    public void dirtyFolio(PageRef page) {
        // ext4_dirty_folio / ext4_journalled_dirty_folio (fs/ext4/inode.c, v6.1 and v6.12); the
        // WARN_ON_ONCEs came with 6dcc693bc57f (v4.10), so seed 001's 4.4 kernel has none
        if (version != Kernel.V4_4) {
            if (!journal && !warnedUnlockedClean && !page.test(PageFlags.LOCKED) && !page.test(PageFlags.DIRTY)) {
                warnedUnlockedClean = true;
                kernel.warn("ext4_dirty_folio", "WARN_ON_ONCE(!folio_test_locked(folio) && !folio_test_dirty(folio))");
            }
            if (!warnedNoBuffers && !page.hasPrivate()) {
                warnedNoBuffers = true;
                kernel.warn(journal ? "ext4_journalled_dirty_folio" : "ext4_dirty_folio",
                        "WARN_ON_ONCE(!folio_buffers(folio))");
            }
        }
        if (journal && (version != Kernel.V6_12 || page.maybeDmaPinned())) {
            // folio_set_checked: v6.1 (and v4.4's ext4_journalled_set_page_dirty) for every dirtying,
            // v6.12 only for a folio_maybe_dma_pinned one, whose data writeback must journal again
            checked.add(key(page.inode(), page.index()));
        }
    }

    @Override
    public int writepage(PageRef page) {
        if (!page.hasPrivate()) {
            return writepageWithoutBuffers(page);
        }
        long key = key(page.inode(), page.index());
        Long block = allocated.get(key);
        if (block == null) {
            // ext4_map_blocks(EXT4_GET_BLOCKS_CREATE | DELALLOC_RESERVE): turn the reservation into a block
            boolean hadReservation = reserved.remove(key);
            if (!hadReservation && freeBlockCount() <= 0) {
                // departure: buffers without a reservation (only after freeBlocks with the page still cached);
                // ext4_map_blocks fails before any writeback starts, and the kernel records -ENOSPC
                return Errno.ENOSPC.negative();
            }
            block = allocateBlock();
            allocated.put(key, block);
            if (version != Kernel.V4_4 && !journal) {
                // dioread_nolock, the default since 244adf6426ee (v5.6): mpage_map_one_extent maps with
                // EXT4_GET_BLOCKS_IO_CREATE_EXT, the extent is unwritten until the I/O's end_io converts it
                unwritten.add(key);
            }
        }
        if (unwritten.contains(key)) {
            // ext4_bio_write_folio with EXT4_IO_END_UNWRITTEN: writeback ends in ext4_end_io_rsv_work
            kernel.startWriteback(page);
            kernel.submitUnwrittenWrite(page, block, this::convertUnwritten);
            checked.remove(key);
            return 0;
        }
        // ext4_bio_write_folio (v6.12; ext4_bio_write_page before): folio_start_writeback, then submit_bio.
        // data=journal: v4.4/v6.1 ext4_writepage -> __ext4_journalled_writepage for a PG_checked page,
        // v6.12 mpage_submit_folio; departure: the journal commit and checkpoint are this one write
        kernel.startWriteback(page);
        kernel.submitWrite(page, block);
        // v6.12 mpage_prepare_extent_to_map: after mpage_submit_folio a PG_checked (pinned) folio is journalled
        // again (mpage_journal_page_buffers), so what the pin writes before the commit reaches the journal.
        // Departure: there is no journal, so the flag is only cleared
        checked.remove(key);
        return 0;
    }

    private int writepageWithoutBuffers(PageRef page) {
        // the data=ordered path is ext4_writepages -> mpage_prepare_extent_to_map; data=journal (and any
        // kernel's reclaim) went write_cache_pages -> __writepage -> ext4_writepage until v6.2
        String function = journal && version != Kernel.V6_12 ? "ext4_writepage" : "mpage_prepare_extent_to_map";
        if (version != Kernel.V4_4) {
            // cc5095747edf (v5.18): ext4_warning_inode, folio_clear_dirty, unlock, skip. The data never reaches disk
            kernel.warn(function, "page " + page.index() + " does not have buffers attached");
            checked.remove(key(page.inode(), page.index()));
            return 0; // checked before folio_start_writeback: nothing is started
        }
        // v4.4: page_buffers() -> BUG_ON(!PagePrivate(page))
        String site = journal ? BUG_SITE_JOURNAL : BUG_SITE_ORDERED;
        kernel.bug(function, "kernel BUG at " + site + "! " + function + ": page " + page.index()
                + " of inode " + page.inode() + " has no buffers (BUG_ON(!PagePrivate(page)))");
        return 0;
    }

    /** {@code ext4_convert_unwritten_extents} for one block, if the page still owns it. */
    private void convertUnwritten(int inode, int index, long block) {
        long key = key(inode, index);
        Long now = allocated.get(key);
        if (now != null && now == block) {
            unwritten.remove(key);
        }
    }

    /** ext4_mb_new_blocks; departure: the lowest free block, not mballoc's goal near the inode. */
    private long allocateBlock() {
        Long reused = freed.pollFirst();
        if (reused != null) {
            return reused;
        }
        // callers checked the free count, and reservations never exceed the device
        return neverUsedFrom++;
    }

    @Override
    public int readPage(PageRef page) {
        // ext4_read_folio -> ext4_mpage_readpages; an unwritten extent reads as zeroes
        long key = key(page.inode(), page.index());
        Long block = unwritten.contains(key) ? null : allocated.get(key);
        if (block != null) {
            kernel.submitRead(page, block);
        } else {
            // a hole; departure: a delalloc page not yet written also reads as zeroes (ext4 finds it cached)
            kernel.zeroPage(page);
        }
        return 0;
    }

    @Override
    public boolean releasePage(PageRef page) {
        // ext4_release_folio -> try_to_free_buffers: refuses buffers that are dirty or under I/O
        if (page.test(PageFlags.DIRTY) || page.test(PageFlags.WRITEBACK)) {
            return false;
        }
        if (page.hasPrivate()) {
            page.detachPrivate();
        }
        return true;
    }

    @Override
    public void invalidatePage(PageRef page) {
        // ext4_invalidate_folio -> block_invalidate_folio: the buffers go whatever their state
        if (page.hasPrivate()) {
            page.detachPrivate();
        }
        // ext4_da_page_release_reservation (ext4_da_invalidatepage before v5.12): give the reservation back
        reserved.remove(key(page.inode(), page.index()));
    }

    @Override
    public void freeBlocks(int inode, int from, int to) {
        // ext4_punch_hole / ext4_truncate -> ext4_free_blocks, and ext4_es_remove_extent -> ext4_da_release_space
        for (int index = from; index < to; index++) {
            long key = key(inode, index);
            Long block = allocated.remove(key);
            if (block != null) {
                freed.add(block);
            }
            reserved.remove(key);
            unwritten.remove(key);
        }
    }

    @Override
    public long mappedBlock(int inode, int index) {
        // ext4_map_blocks lookup without create: delalloc pages, and unwritten extents not yet
        // converted, are still holes on disk
        long key = key(inode, index);
        Long block = unwritten.contains(key) ? null : allocated.get(key);
        return block == null ? -1 : block;
    }
}
