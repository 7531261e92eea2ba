package org.pinlab.fs.dax.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;

/**
 * One DAX mount: a block map and a block allocator over persistent memory. The kernel owns
 * the rest: it turns a block into its pmem frame ({@code dax_direct_access}), maps that
 * frame into page tables, and keeps no page cache, so the address-space operations below
 * are the {@code dax_aops} stubs. Departures: one block per page, no extents, no journal,
 * the lowest free block first.
 */
final class DaxSuperblock implements Superblock {

    private final FsKernel kernel;
    /** longterm=refuse: {@code vma_is_fsdax} in {@code check_vma_flags} refuses FOLL_LONGTERM. */
    private final boolean refuseLongterm;

    /** The block map ({@code xfs_bmapi_read}'s answer): page key -> block. Looked up, never iterated. */
    private final Map<Long, Long> mapped = new HashMap<>();
    /** Freed blocks, handed out again lowest first. */
    private final TreeSet<Long> freed = new TreeSet<>();
    /** Blocks below this were handed out at least once. */
    private long neverUsedFrom;

    DaxSuperblock(FsKernel kernel, boolean refuseLongterm) {
        this.kernel = kernel;
        this.refuseLongterm = refuseLongterm;
    }

    private static long key(int inode, int index) {
        return ((long) inode << 32) | (index & 0xffffffffL);
    }

    @Override
    public String typeName() {
        return "dax";
    }

    @Override
    public boolean dax() {
        return true;
    }

    @Override
    public boolean refusesLongtermPins() {
        return refuseLongterm;
    }

    @Override
    public boolean needsPageMkwrite() {
        // the write fault allocates through ->iomap_begin itself; there are no buffers to attach
        return false;
    }

    @Override
    public boolean stableWrites() {
        return false;
    }

    @Override
    public boolean hasBackingStore() {
        // the memory is the medium: what is stored survives, so the lost-write oracle checks it
        return true;
    }

    /** Blocks not mapped to any file page. */
    long freeBlockCount() {
        return kernel.blocks() - mapped.size();
    }

    @Override
    public long allocateBlock(int inode, int index) {
        // xfs_direct_write_iomap_begin -> xfs_iomap_write_direct (ext4_iomap_alloc): real blocks, no delalloc
        long key = key(inode, index);
        Long block = mapped.get(key);
        if (block != null) {
            return block;
        }
        if (freeBlockCount() <= 0) {
            return Errno.ENOSPC.negative();
        }
        Long reused = freed.pollFirst();
        long b = reused != null ? reused : neverUsedFrom++;
        mapped.put(key, b);
        // XFS_BMAPI_ZERO / EXT4_GET_BLOCKS_ZERO: a reused block must not show the data of the file that freed it
        kernel.zeroBlock(b);
        return b;
    }

    @Override
    public long mappedBlock(int inode, int index) {
        // ->iomap_begin without IOMAP_WRITE: a hole is IOMAP_HOLE
        Long block = mapped.get(key(inode, index));
        return block == null ? -1 : block;
    }

    @Override
    public void freeBlocks(int inode, int from, int to) {
        // xfs_free_file_space / ext4_punch_hole -> the extents go back to the free space
        for (int index = from; index < to; index++) {
            Long block = mapped.remove(key(inode, index));
            if (block != null) {
                freed.add(block);
            }
        }
    }

    @Override
    public int pageMkwrite(PageRef page) {
        // never called: needsPageMkwrite() is false, and DAX faults do not go through the page cache
        return 0;
    }

    @Override
    public int writepage(PageRef page) {
        // dax_aops has no ->writepage: DAX data is never dirty in a page cache; nothing is started
        return Errno.EIO.negative();
    }

    @Override
    public int readPage(PageRef page) {
        // dax_aops has no ->read_folio: a DAX fault maps the block's frame, nothing is read into a page
        return Errno.EIO.negative();
    }

    @Override
    public boolean releasePage(PageRef page) {
        return true; // nothing private to drop
    }

    @Override
    public void invalidatePage(PageRef page) {
        // noop_invalidate_folio
    }
}
