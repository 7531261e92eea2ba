package org.pinlab.api.fs;

import org.osgi.annotation.versioning.ProviderType;

/** What the kernel offers a mounted filesystem. */
@ProviderType
public interface FsKernel {

    /** The mount's device: blocks numbered from 0 to {@code blocks() - 1}. */
    long blocks();

    /**
     * {@code submit_bio(REQ_OP_WRITE)}: writes the page's current contents to a block; the page
     * must be under writeback ({@link #startWriteback}). The
     * kernel ends writeback of the page when the I/O completes.
     */
    void submitWrite(PageRef page, long block);

    /**
     * {@code submit_bio(REQ_OP_WRITE)} into a block allocated unwritten, as ext4 writes newly
     * allocated delalloc blocks with {@code dioread_nolock} (the default since 244adf6426ee,
     * v5.6: {@code EXT4_GET_BLOCKS_IO_CREATE_EXT}, {@code EXT4_IO_END_UNWRITTEN}). The data reaches
     * the block when the I/O completes, but the page's writeback does not end there: the completion
     * ({@code ext4_end_bio} -> {@code ext4_put_io_end_defer} -> {@code ext4_add_complete_io}, v6.12)
     * queues the inode's conversion work, once while it is pending, and that work runs in a kworker
     * ({@code ext4_end_io_rsv_work}): it calls {@code convert} for every page completed since, then
     * ends their writeback. Until converted the block reads as a hole, so {@link Superblock#mappedBlock}
     * should answer -1. The page must be under writeback, as for {@link #submitWrite}.
     */
    default void submitUnwrittenWrite(PageRef page, long block, UnwrittenConversion convert) {
        throw new UnsupportedOperationException("submitUnwrittenWrite");
    }

    /**
     * {@code folio_start_writeback}: sets PG_writeback (and the mapping's writeback tag) on the
     * locked page {@code ->writepage} is about to submit. The filesystem calls it, as the
     * kernel's do, right before {@link #submitWrite}; a page it fails or redirties is left
     * without it.
     *
     * @throws IllegalStateException if the page is already under writeback
     */
    void startWriteback(PageRef page);

    /**
     * {@code folio_redirty_for_writepage} (mm/page-writeback.c, v6.12): {@code ->writepage}
     * cannot write the locked page now and keeps it dirty for a later pass. The page is
     * dirtied again without {@link Superblock#dirtyFolio} ({@code filemap_dirty_folio}) and
     * counted in {@code wbc->pages_skipped}, so writeback moves the inode to the back of the
     * dirty list ({@code requeue_inode} -> {@code redirty_tail_locked}). {@code ->writepage}
     * then returns 0 without starting writeback: the three results of a writepage are done
     * (writeback started), an error (a negative errno, recorded for fsync) and redirtied.
     */
    void redirtyForWritepage(PageRef page);

    /**
     * {@code queue_work} of a work item for one folio on the filesystem's workqueue
     * (kernel/workqueue.c, v6.12), as btrfs queues its writepage fixup ({@code folio_get},
     * {@code btrfs_queue_work}): the kernel holds a reference to the page from now, and later,
     * in a kworker of its own, locks the folio (sleeping if need be), calls {@code work} if the
     * page is still its file's at its index (not truncated meanwhile), unlocks it and drops the
     * reference. Callable from any method of the SPI.
     *
     * @param name the work function, as kworker backtraces show it
     */
    void queueFolioWork(String name, PageRef page, FolioWork work);

    /**
     * {@code INIT_WORK} / {@code INIT_DELAYED_WORK} of a work item on the mount's workqueue: the
     * filesystem queues it with {@link FsWork#queue} or {@link FsWork#queueDelayed}, and
     * {@code fn} then runs in a kworker, as one atomic step.
     *
     * @param name the work function, as kworker backtraces show it
     */
    default FsWork newWork(String name, Runnable fn) {
        throw new UnsupportedOperationException("newWork");
    }

    /**
     * {@code mapping_set_error} (include/linux/pagemap.h, v6.12) for the page's file: the error
     * reaches every open file's next {@code fsync} once, through errseq.
     */
    void mappingSetError(PageRef page, int err);

    /**
     * {@code folio_clear_dirty_for_io} on a locked page outside writeback, as a filesystem gives
     * up data it cannot write (btrfs's fixup worker on -ENOSPC): write-protects its mappings and
     * cleans it.
     *
     * @return whether it was dirty
     */
    boolean clearDirtyForIo(PageRef page);

    /**
     * For a page {@code ->writepage} decided not to write: ends its writeback at once
     * ({@code folio_end_writeback} without I/O).
     */
    void endWritebackUnsubmitted(PageRef page);

    /** {@code submit_bio(REQ_OP_READ)}: fills the page from a block; unlocks it at completion. */
    void submitRead(PageRef page, long block);

    /** A hole: the page reads as zeroes and is up to date at once. */
    void zeroPage(PageRef page);

    /**
     * {@code blkdev_issue_zeroout} / {@code dax_zero_range}: the block reads as zeroes from now
     * on, at once. A DAX filesystem zeroes every block it allocates (xfs {@code XFS_BMAPI_ZERO},
     * ext4 {@code EXT4_GET_BLOCKS_ZERO}); on a DAX mount the block is memory, so this is a store.
     */
    default void zeroBlock(long block) {
        throw new UnsupportedOperationException("zeroBlock");
    }

    /**
     * {@code BUG()}: the machine stops, as the kernel would, with a BUG finding carrying
     * this message and the current backtrace.
     *
     * @param function the filesystem function that hit it, e.g. {@code ext4_writepage}
     */
    void bug(String function, String message);

    /** {@code WARN()}: a WARN finding; the machine goes on. */
    void warn(String function, String message);

    /** Simulated time, for filesystems that age things. */
    long now();
}
