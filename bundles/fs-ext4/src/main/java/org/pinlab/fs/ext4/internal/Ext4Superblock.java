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
 * {@code PG_private}, and the writepage check for buffers that seed 001 crashed on.
 * Departures from ext4: no journal, no extents (one block per page, a map per page), no
 * inline data, and the block allocator takes the lowest free block instead of mballoc's goal.
 */
final class Ext4Superblock implements Superblock {

    /** The line seed 000's 4.4 kernel reported for ext4_writepage's BUG_ON. */
    static final String BUG_SITE = "fs/ext4/inode.c:1899";

    /** {@code page->private}: one buffer head, as the model has one block per page. */
    static final int ONE_BUFFER_HEAD = 1;

    private final FsKernel kernel;
    /** errors=warn: v5.18's warning instead of the BUG_ON. */
    private final boolean warnOnMissingBuffers;
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

    Ext4Superblock(FsKernel kernel, boolean warnOnMissingBuffers, boolean dataChecksums) {
        this.kernel = kernel;
        this.warnOnMissingBuffers = warnOnMissingBuffers;
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

    boolean warnsOnMissingBuffers() {
        return warnOnMissingBuffers;
    }

    /** Blocks neither allocated nor reserved ({@code ext4_has_free_clusters}). */
    long freeBlockCount() {
        return kernel.blocks() - allocated.size() - reserved.size();
    }

    @Override
    public int pageMkwrite(PageRef page) {
        // ext4_page_mkwrite -> block_page_mkwrite(ext4_da_get_block_prep)
        long key = key(page.inode(), page.index());
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
        // ext4_dirty_folio (fs/ext4/inode.c, v6.12), from 6dcc693bc57f (v4.10) on: two
        // WARN_ON_ONCEs, then block_dirty_folio (the buffers are marked dirty with the folio).
        // errors=bug models seed 001's 4.4 kernel, which had neither.
        if (!warnOnMissingBuffers) {
            return;
        }
        if (!warnedUnlockedClean && !page.test(PageFlags.LOCKED) && !page.test(PageFlags.DIRTY)) {
            warnedUnlockedClean = true;
            kernel.warn("ext4_dirty_folio", "WARN_ON_ONCE(!folio_test_locked(folio) && !folio_test_dirty(folio))");
        }
        if (!warnedNoBuffers && !page.hasPrivate()) {
            warnedNoBuffers = true;
            kernel.warn("ext4_dirty_folio", "WARN_ON_ONCE(!folio_buffers(folio))");
        }
    }

    @Override
    public int writepage(PageRef page) {
        // ext4_writepage (reached through ext4_writepages)
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
        }
        // ext4_bio_write_folio: folio_start_writeback, then submit_bio
        kernel.startWriteback(page);
        kernel.submitWrite(page, block);
        return 0;
    }

    private int writepageWithoutBuffers(PageRef page) {
        if (warnOnMissingBuffers) {
            // v5.18 ext4_writepage: ext4_warning_inode, ClearPageDirty, return 0. The data never reaches disk.
            kernel.warn("ext4_writepage", "page " + page.index() + " does not have buffers attached");
            return 0; // checked before folio_start_writeback: nothing is started
        }
        // before v5.18: ext4_writepage -> page_buffers() -> BUG_ON(!PagePrivate(page))
        kernel.bug("ext4_writepage", "kernel BUG at " + BUG_SITE + "! ext4_writepage: page " + page.index()
                + " of inode " + page.inode() + " has no buffers (BUG_ON(!PagePrivate(page)))");
        return 0;
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
        // ext4_read_folio -> ext4_mpage_readpages
        Long block = allocated.get(key(page.inode(), page.index()));
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
        }
    }

    @Override
    public long mappedBlock(int inode, int index) {
        // ext4_map_blocks lookup without create: delalloc pages are still holes on disk
        Long block = allocated.get(key(inode, index));
        return block == null ? -1 : block;
    }
}
