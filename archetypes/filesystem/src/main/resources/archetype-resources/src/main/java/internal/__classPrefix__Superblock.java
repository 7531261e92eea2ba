package ${package}.internal;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;
import org.pinlab.api.mm.PageFlags;

/**
 * One mounted ${fsName}: a block per page, found in a per-inode block map. Every method runs
 * inside one atomic step of a kernel path and must not block; the kernel owns the page's
 * flags, the disk and the I/O, and this class only decides which block and when.
 */
final class ${classPrefix}Superblock implements Superblock {

    private final FsKernel kernel;
    private final boolean warnUnmapped;
    /** Per inode: page index to block. */
    private final Map<Integer, Map<Integer, Long>> blockMap = new HashMap<>();
    private final BitSet used = new BitSet();

    ${classPrefix}Superblock(FsKernel kernel, boolean warnUnmapped) {
        this.kernel = kernel;
        this.warnUnmapped = warnUnmapped;
    }

    @Override
    public String typeName() {
        return ${classPrefix}FilesystemType.NAME;
    }

    @Override
    public boolean needsPageMkwrite() {
        return true; // a block is allocated before a page may be dirtied through a mapping
    }

    @Override
    public boolean stableWrites() {
        return false; // no data checksums
    }

    @Override
    public int pageMkwrite(PageRef page) {
        // ->page_mkwrite: the locked page gets its block now, or the fault fails with SIGBUS
        return mapped(page.inode(), page.index()) >= 0 || allocate(page.inode(), page.index()) >= 0
                ? 0 : Errno.ENOSPC.negative();
    }

    @Override
    public int writepage(PageRef page) {
        // ->writepage: the page is locked and its dirty bit already cleared for I/O
        long block = mapped(page.inode(), page.index());
        if (block < 0) {
            // dirtied without page_mkwrite: a device wrote it through a reference the kernel
            // did not tell us about
            if (warnUnmapped) {
                kernel.warn(typeName() + "_writepage", "page " + page.index() + " of inode " + page.inode()
                        + " is dirty but has no block (dirtied without page_mkwrite)");
                kernel.redirtyForWritepage(page); // skipped, kept dirty: the data stays in memory only
                return 0;
            }
            block = allocate(page.inode(), page.index());
            if (block < 0) {
                kernel.redirtyForWritepage(page); // no space now: keep it dirty for a later pass
                return Errno.ENOSPC.negative();
            }
        }
        kernel.startWriteback(page); // folio_start_writeback, as filesystems call it themselves
        kernel.submitWrite(page, block);
        return 0;
    }

    @Override
    public int readPage(PageRef page) {
        long block = mapped(page.inode(), page.index());
        if (block >= 0) {
            kernel.submitRead(page, block);
        } else {
            kernel.zeroPage(page); // a hole reads as zeroes
        }
        return 0;
    }

    @Override
    public boolean releasePage(PageRef page) {
        // ->release_folio: nothing attached, but never let a dirty page or one under I/O go
        return !page.test(PageFlags.DIRTY) && !page.test(PageFlags.WRITEBACK);
    }

    @Override
    public void invalidatePage(PageRef page) {
        // ->invalidate_folio: nothing attached; the blocks go in freeBlocks
    }

    @Override
    public void freeBlocks(int inode, int from, int to) {
        Map<Integer, Long> map = blockMap.get(inode);
        if (map == null) {
            return;
        }
        for (int index = from; index < to; index++) {
            Long block = map.remove(index);
            if (block != null) {
                used.clear((int) (long) block);
            }
        }
    }

    @Override
    public long mappedBlock(int inode, int index) {
        return mapped(inode, index);
    }

    private long mapped(int inode, int index) {
        Map<Integer, Long> map = blockMap.get(inode);
        Long block = map == null ? null : map.get(index);
        return block == null ? -1 : block;
    }

    /** The lowest free block for the page, or -1 when the disk is full. */
    private long allocate(int inode, int index) {
        int block = used.nextClearBit(0);
        if (block >= kernel.blocks()) {
            return -1;
        }
        used.set(block);
        blockMap.computeIfAbsent(inode, i -> new HashMap<>()).put(index, (long) block);
        return block;
    }
}
