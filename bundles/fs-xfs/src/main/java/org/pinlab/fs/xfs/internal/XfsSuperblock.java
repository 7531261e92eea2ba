package org.pinlab.fs.xfs.internal;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;
import org.pinlab.api.mm.PageFlags;

/**
 * One mounted xfs: iomap buffered I/O without buffer heads, delayed allocation reserved in
 * {@code page_mkwrite} and converted to a real block at writeback. A page is one filesystem
 * block (4K blocks on 4K pages), so iomap keeps no {@code iomap_folio_state} and nothing
 * ever sets {@code PG_private}. Departures from xfs: no log, no allocation groups (the
 * lowest free block wins), one block per page, delalloc converted one page at a time.
 */
final class XfsSuperblock implements Superblock {

    /** {@code DELAYSTARTBLOCK}: a data fork entry reserved by delayed allocation, no block yet. */
    static final long DELAYSTARTBLOCK = -1;
    /** {@code HOLESTARTBLOCK}: nothing in the data fork at this offset. */
    static final long HOLESTARTBLOCK = -2;

    private final FsKernel kernel;
    private final boolean dataChecksums;

    /** Per inode, the data fork ({@code ip->i_df}) one entry per page: a block, or one of the two above. */
    private final Map<Integer, long[]> dataFork = new HashMap<>();
    /** Blocks in use on the device; the lowest clear bit is the next one handed out. */
    private final BitSet used = new BitSet();
    private long allocatedBlocks;
    /** {@code mp->m_delalloc_blks}: blocks reserved by delalloc entries and not yet allocated. */
    private long delallocBlocks;

    XfsSuperblock(FsKernel kernel, boolean dataChecksums) {
        this.kernel = kernel;
        this.dataChecksums = dataChecksums;
    }

    @Override
    public String typeName() {
        return "xfs";
    }

    @Override
    public boolean needsPageMkwrite() {
        return true;
    }

    @Override
    public boolean stableWrites() {
        // data_csum=on: SB_I_STABLE_WRITES as btrfs sets it for data checksums (xfs has none for data)
        return dataChecksums;
    }

    @Override
    public boolean hasBackingStore() {
        return true;
    }

    /** {@code mp->m_fdblocks}: blocks neither allocated nor reserved. */
    long freeBlockCount() {
        return kernel.blocks() - allocatedBlocks - delallocBlocks;
    }

    long delallocBlockCount() {
        return delallocBlocks;
    }

    /** {@code xfs_iext_lookup_extent} for one page: a block, DELAYSTARTBLOCK or HOLESTARTBLOCK. */
    long lookup(int inode, int index) {
        long[] fork = dataFork.get(inode);
        return fork == null || index >= fork.length ? HOLESTARTBLOCK : fork[index];
    }

    private void set(int inode, int index, long entry) {
        long[] fork = dataFork.get(inode);
        if (fork == null || index >= fork.length) {
            int old = fork == null ? 0 : fork.length;
            fork = fork == null ? new long[Math.max(8, index + 1)] : Arrays.copyOf(fork, Math.max(2 * old, index + 1));
            Arrays.fill(fork, old, fork.length, HOLESTARTBLOCK);
            dataFork.put(inode, fork);
        }
        fork[index] = entry;
    }

    @Override
    public int pageMkwrite(PageRef page) {
        // xfs_filemap_page_mkwrite -> iomap_page_mkwrite -> xfs_buffered_write_iomap_begin
        if (lookup(page.inode(), page.index()) != HOLESTARTBLOCK) {
            return 0; // a real block or an existing delalloc reservation covers the page already
        }
        // xfs_bmapi_reserve_delalloc -> xfs_dec_fdblocks (was xfs_mod_fdblocks): reserve a block, assign none
        if (freeBlockCount() <= 0) {
            return Errno.ENOSPC.negative();
        }
        set(page.inode(), page.index(), DELAYSTARTBLOCK);
        delallocBlocks++;
        // iomap_folio_mkwrite_iter: no ifs_alloc for a one-block folio, so no PG_private
        return 0;
    }

    @Override
    public int writepage(PageRef page) {
        // iomap_writepages -> iomap_writeback_folio (iomap_writepage_map before) -> xfs_map_blocks
        long entry = lookup(page.inode(), page.index());
        if (entry == HOLESTARTBLOCK) {
            // xfs_map_blocks "landed in a hole": IOMAP_HOLE, iomap_add_to_ioend skips it without a
            // word and iomap_writeback_folio ends writeback with nothing submitted. The data is lost.
            kernel.startWriteback(page); // folio_start_writeback, then folio_end_writeback: nothing to send
            kernel.endWritebackUnsubmitted(page);
            return 0;
        }
        if (entry == DELAYSTARTBLOCK) {
            // xfs_bmapi_convert_delalloc: the reservation becomes a block; departure: this page only,
            // written directly (xfs converts the whole delalloc extent, as unwritten until I/O completes)
            entry = allocateBlock();
            delallocBlocks--;
            set(page.inode(), page.index(), entry);
        }
        // iomap_add_to_ioend -> xfs_writeback_submit -> submit_bio; an allocated block is rewritten in place
        kernel.startWriteback(page); // iomap_writeback_folio: folio_start_writeback
        kernel.submitWrite(page, entry);
        return 0;
    }

    /** xfs_bmapi_allocate -> xfs_bmap_btalloc; departure: the lowest free block, no AG or locality goal. */
    private long allocateBlock() {
        long block = used.nextClearBit(0); // the caller's reservation guarantees one below blocks()
        used.set((int) block);
        allocatedBlocks++;
        return block;
    }

    @Override
    public int readPage(PageRef page) {
        // iomap_read_folio -> xfs_read_iomap_begin: a mapped block is read
        long entry = lookup(page.inode(), page.index());
        if (entry >= 0) {
            kernel.submitRead(page, entry);
        } else {
            // iomap_block_needs_zeroing: a hole or a delalloc extent (not IOMAP_MAPPED) reads as zeroes
            kernel.zeroPage(page);
        }
        return 0;
    }

    @Override
    public boolean releasePage(PageRef page) {
        // filemap_release_folio refuses pages under writeback, iomap_release_folio dirty ones
        if (page.test(PageFlags.WRITEBACK) || page.test(PageFlags.DIRTY)) {
            return false;
        }
        // ifs_free: a one-block folio has no iomap_folio_state, so there is normally nothing to drop
        if (page.hasPrivate()) {
            page.detachPrivate();
        }
        return true;
    }

    @Override
    public void invalidatePage(PageRef page) {
        // iomap_invalidate_folio (whole folio): folio_cancel_dirty is the kernel's, ifs_free is ours
        if (page.hasPrivate()) {
            page.detachPrivate();
        }
        // the delalloc reservation stays: xfs drops it in xfs_bunmapi, which freeBlocks models
    }

    @Override
    public void freeBlocks(int inode, int from, int to) {
        // xfs_free_file_space / xfs_itruncate_extents -> xfs_bunmapi over [from, to)
        long[] fork = dataFork.get(inode);
        if (fork == null) {
            return;
        }
        for (int index = Math.max(0, from); index < Math.min(to, fork.length); index++) {
            long entry = fork[index];
            if (entry == DELAYSTARTBLOCK) {
                // xfs_bmap_del_extent_delay: the reservation goes back to m_fdblocks
                delallocBlocks--;
            } else if (entry >= 0) {
                // xfs_bmap_del_extent_real -> xfs_free_extent_later; departure: free at once, no EFI
                used.clear((int) entry);
                allocatedBlocks--;
            }
            fork[index] = HOLESTARTBLOCK;
        }
    }

    @Override
    public long mappedBlock(int inode, int index) {
        // xfs_bmapi_read: a delalloc extent is still a hole on disk
        long entry = lookup(inode, index);
        return entry >= 0 ? entry : -1;
    }
}
