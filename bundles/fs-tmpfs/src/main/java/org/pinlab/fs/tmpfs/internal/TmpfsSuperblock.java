package org.pinlab.fs.tmpfs.internal;

import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;

/**
 * A mounted tmpfs: RAM-backed, so dirtying needs no filesystem work and nothing is ever
 * written back. Departure: no swap, so its pages are never reclaimed.
 */
final class TmpfsSuperblock implements Superblock {

    private final FsKernel kernel;

    TmpfsSuperblock(FsKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public String typeName() {
        return "shmem";
    }

    @Override
    public boolean needsPageMkwrite() {
        return false; // shmem_vm_ops has no page_mkwrite
    }

    @Override
    public boolean stableWrites() {
        return false;
    }

    @Override
    public boolean hasBackingStore() {
        return false; // no bdi writeback; fsync is noop_fsync
    }

    @Override
    public int pageMkwrite(PageRef page) {
        return 0;
    }

    @Override
    public int writepage(PageRef page) {
        // shmem_writepage: only reclaim's swap-out calls it; without swap, keep the page (no writeback)
        return 0;
    }

    @Override
    public int readPage(PageRef page) {
        kernel.zeroPage(page); // shmem_get_folio: a new page is zero-filled
        return 0;
    }

    @Override
    public boolean releasePage(PageRef page) {
        return true; // no private data
    }

    @Override
    public void invalidatePage(PageRef page) {
        // nothing attached
    }

    @Override
    public void freeBlocks(int inode, int from, int to) {
        // no blocks: the pages themselves were the storage
    }

    @Override
    public long mappedBlock(int inode, int index) {
        return -1;
    }
}
