package org.pinlab.api.fs;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.errno.Errno;

/**
 * One mounted filesystem: its {@code address_space_operations} and the bits of
 * {@code super_operations} the model needs. Every method runs inside one atomic step of
 * a kernel path and must not block; asynchronous work goes through {@link FsKernel}.
 * The {@link PageRef} passed in is valid only during the call.
 */
@ConsumerType
public interface Superblock {

    /** The filesystem type's name, as backtraces show its functions ({@code ext4_writepage}). */
    String typeName();

    /**
     * Whether a clean file page must pass through {@link #pageMkwrite} before it may be
     * dirtied through a mapping (ext4 and xfs: yes, they allocate blocks there; tmpfs: no).
     */
    boolean needsPageMkwrite();

    /**
     * Whether pages must stay unchanged while under writeback ({@code SB_I_STABLE_WRITES}:
     * data checksums, T10 PI). A change during writeback is then a torn write.
     */
    boolean stableWrites();

    /** Whether the filesystem writes pages back to a block device at all (tmpfs does not). */
    default boolean hasBackingStore() {
        return true;
    }

    /**
     * {@code ->page_mkwrite}: a write fault on a clean, shared, file-backed page. The page is
     * locked. Typically reserves or allocates blocks and attaches private data.
     *
     * @return 0, or a negative errno that fails the fault ({@code VM_FAULT_SIGBUS})
     */
    int pageMkwrite(PageRef page);

    /**
     * {@code ->write_begin}: {@code write(2)} is about to copy into the locked page
     * ({@code generic_perform_write}). Typically reserves or allocates blocks and attaches
     * private data, as {@link #pageMkwrite} does for a fault ({@code ext4_da_write_begin},
     * {@code iomap_write_begin}); by default it is {@link #pageMkwrite} for a filesystem that
     * needs one, else nothing ({@code simple_write_begin}).
     *
     * @return 0, or a negative errno that fails the write ({@code -ENOSPC})
     */
    default int writeBegin(PageRef page) {
        return needsPageMkwrite() ? pageMkwrite(page) : 0;
    }

    /**
     * {@code ->writepage}: write one page back. The page is locked and its dirty bit already
     * cleared ({@code folio_clear_dirty_for_io}). To write it, set PG_writeback with
     * {@link FsKernel#startWriteback} and submit the I/O with {@link FsKernel#submitWrite}, as
     * the kernel's filesystems call {@code folio_start_writeback} themselves; a page started
     * but not submitted is finished with {@link FsKernel#endWritebackUnsubmitted}. A page the
     * filesystem fails or skips is left without PG_writeback.
     *
     * @return 0, or a negative errno
     */
    int writepage(PageRef page);

    /**
     * {@code ->dirty_folio} (earlier {@code ->set_page_dirty}), which {@code folio_mark_dirty}
     * calls on every dirtying of a page of this filesystem: unpin with dirty,
     * {@code set_page_dirty_lock}, a write fault, {@code write()}. The kernel then marks the
     * folio dirty ({@code filemap_dirty_folio}); this is what the filesystem does besides, for
     * example ext4's warnings about a folio without buffers. The page's flags are as the
     * caller left them (locked or not, dirty or not yet). By default nothing, as
     * {@code noop_dirty_folio} and {@code filemap_dirty_folio} add nothing.
     */
    default void dirtyFolio(PageRef page) {
    }

    /**
     * How many data writeback passes the filesystem's {@code ->fsync} makes before it waits
     * ({@code file_write_and_wait_range} makes one; btrfs's {@code btrfs_sync_file} calls
     * {@code start_ordered_ops} before and again after taking the inode and mmap locks, v6.12).
     * Pages dirtied, or given back dirty, between the passes are written by the second one.
     */
    default int fsyncWritePasses() {
        return 1;
    }

    /**
     * {@code ->read_folio}: fill a locked, not up-to-date page from disk with
     * {@link FsKernel#submitRead}, or zero it for a hole with {@link FsKernel#zeroPage}.
     */
    int readPage(PageRef page);

    /**
     * {@code ->release_folio} (was {@code ->releasepage}): drop private data of a clean page
     * that reclaim wants to free. The page is locked.
     *
     * @return true if the private data is gone (or there was none)
     */
    boolean releasePage(PageRef page);

    /**
     * {@code ->invalidate_folio}: the page leaves the page cache for truncate or hole punch;
     * drop private data unconditionally.
     */
    void invalidatePage(PageRef page);

    /**
     * Frees the blocks behind pages [from, to) of an inode ({@code ext4_punch_hole},
     * {@code truncate} block freeing). Called after the pages left the page cache.
     */
    void freeBlocks(int inode, int from, int to);

    /**
     * The block holding page {@code index} of {@code inode} on disk, or -1 for a hole (or
     * for delayed allocation not yet written). Used by oracles to check what is durable.
     */
    long mappedBlock(int inode, int index);

    /**
     * Whether the mount is DAX ({@code IS_DAX}, {@code -o dax}): its blocks are the storage's
     * own memory, mapped straight into user page tables. The kernel then keeps no page cache
     * for it and never calls {@link #pageMkwrite}, {@link #writepage}, {@link #readPage},
     * {@link #releasePage} or {@link #invalidatePage}; faults ask {@link #mappedBlock} and
     * {@link #allocateBlock} instead, and a store is durable once made.
     */
    default boolean dax() {
        return false;
    }

    /**
     * Whether GUP refuses {@code FOLL_LONGTERM} pins of this mount's mappings with
     * {@code -EOPNOTSUPP}, as {@code check_vma_flags} does for fsdax ({@code vma_is_fsdax};
     * {@code get_user_pages_longterm} since v4.15). A DAX type answers false to model the
     * kernels before, where RDMA could register DAX memory.
     */
    default boolean refusesLongtermPins() {
        return dax();
    }

    /**
     * For a {@link #dax()} mount only: {@code ->iomap_begin} with {@code IOMAP_WRITE} from a
     * write fault ({@code dax_iomap_fault}): the block behind page {@code index} of
     * {@code inode}, allocated now if it was a hole and zeroed with
     * {@link FsKernel#zeroBlock} so it never shows a previous file's data.
     *
     * @return the block, or a negative errno ({@link Errno#ENOSPC}) that fails the fault
     */
    default long allocateBlock(int inode, int index) {
        throw new UnsupportedOperationException(typeName() + " is not a DAX filesystem");
    }

    /** Unmounts after the kernel wrote everything back ({@code ->put_super}). */
    default void unmount() {
    }
}
