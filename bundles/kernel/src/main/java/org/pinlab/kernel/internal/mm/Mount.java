package org.pinlab.kernel.internal.mm;

import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;
import org.pinlab.kernel.internal.block.BlockDevice;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.printk.Printk;
import org.pinlab.sim.Engine;

/**
 * A mounted filesystem: the filesystem's {@link Superblock} and the {@link FsKernel} the
 * kernel gives it, over one block device. A DAX mount's blocks are frames instead: the
 * device then only gives the size, and the data lives in the pmem region.
 */
public final class Mount implements FsKernel {

    private final FrameStore frames;
    private final Printk printk;
    private final Engine engine;
    private final Io io;
    public final String path;
    public final BlockDevice device;
    public Superblock sb;
    /** DAX: the pmem region, block -> frame (set by the kernel at mount); null for a block-device mount. */
    public int[] pmem;

    /**
     * The block I/O a filesystem asks for through its {@link FsKernel}: the bio layer and
     * the page cache's completion helpers, which sit above the structures a mount is.
     */
    public interface Io {
        /** {@code submit_bio(REQ_OP_WRITE)} of a page to a block. */
        void submitWrite(Mount m, int pfn, long block);

        /** A write into an unwritten extent, whose writeback ends after the conversion work ran. */
        void submitUnwrittenWrite(Mount m, int pfn, long block, org.pinlab.api.fs.UnwrittenConversion convert);

        /** {@code submit_bio(REQ_OP_READ)} of a block into a locked page. */
        void submitRead(Mount m, int pfn, long block);

        /** {@code folio_end_writeback} for a page whose write was never submitted. */
        void endPageWriteback(int pfn);

        /** {@code folio_start_writeback}, for the filesystem's {@code ->writepage}. */
        void startPageWriteback(int pfn);

        /** {@code folio_redirty_for_writepage} of a page {@code ->writepage} gives back dirty. */
        void redirtyForWritepage(int pfn);

        /** A hole reads as zeroes: the page is filled, marked uptodate and unlocked. */
        void zeroFill(int pfn);
    }

    /**
     * What a filesystem defers or gives up, served from above the page cache: its workqueue
     * and {@code folio_clear_dirty_for_io}.
     */
    public interface Deferred {
        /** {@code queue_work} of a folio's work item (see {@link FsKernel#queueFolioWork}). */
        void queueFolioWork(Mount m, int pfn, String name, org.pinlab.api.fs.FolioWork work);

        /** {@code INIT_WORK} of a work item on the filesystems' workqueue. */
        org.pinlab.api.fs.FsWork newWork(Mount m, String name, Runnable fn);

        /** {@code folio_clear_dirty_for_io} of a locked page. */
        boolean clearDirtyForIo(int pfn);

        /** {@code mapping_set_error} for the page's file, which loses the data {@code token}. */
        void mappingSetError(int pfn, int err, long token);
    }

    /** Set by the mount table when the kernel is wired. */
    public Deferred deferred;

    public Mount(String path, BlockDevice device, FrameStore frames, Printk printk, Engine engine, Io io) {
        this.frames = frames;
        this.printk = printk;
        this.engine = engine;
        this.io = io;
        this.path = path;
        this.device = device;
    }

    public Superblock superblock() {
        return sb;
    }

    public BlockDevice device() {
        return device;
    }

    public String path() {
        return path;
    }

    /**
     * {@code mapping_stable_writes} of the mount's files: {@code setup_bdev_super} (fs/super.c, v6.12)
     * sets {@code SB_I_STABLE_WRITES} when {@code bdev_stable_writes}, {@code inode_init_always}
     * copies it to each mapping's {@code AS_STABLE_WRITES}, and a filesystem may ask for it itself
     * (btrfs data checksums). Departure: per mount, where btrfs and xfs may set it per inode.
     */
    public boolean stableWrites() {
        return device.stableWrites() || sb.stableWrites();
    }

    /** Whether the mount is DAX: its file pages are the frames of its pmem region. */
    public boolean dax() {
        return pmem != null;
    }

    /** {@code dax_direct_access}: the frame that is block {@code block} of a DAX mount. */
    public int pmemFrame(long block) {
        if (block < 0 || block >= pmem.length) {
            throw new IllegalArgumentException("block " + block + " outside the pmem of " + path + " (0.."
                    + (pmem.length - 1) + ")");
        }
        return pmem[(int) block];
    }

    /** What the medium holds for a block now, what survives a crash: the device's block, or the pmem frame. */
    public long durable(long block) {
        return pmem != null ? frames.token(pmemFrame(block)) : device.read(block);
    }

    @Override
    public long blocks() {
        return device.size();
    }

    @Override
    public void startWriteback(PageRef page) {
        io.startPageWriteback(page.pfn());
    }

    @Override
    public void submitWrite(PageRef page, long block) {
        requireWriteback(page);
        io.submitWrite(this, page.pfn(), block);
    }

    @Override
    public void submitUnwrittenWrite(PageRef page, long block, org.pinlab.api.fs.UnwrittenConversion convert) {
        requireWriteback(page);
        io.submitUnwrittenWrite(this, page.pfn(), block, convert);
    }

    /** A write bio is only submitted for a page ->writepage put under writeback. */
    private void requireWriteback(PageRef page) {
        if (!page.test(org.pinlab.api.mm.PageFlags.WRITEBACK)) {
            throw new IllegalStateException(sb.typeName() + ": submit_bio of page " + page.index() + " of inode "
                    + page.inode() + " without PG_writeback; ->writepage must call startWriteback first");
        }
    }

    @Override
    public void queueFolioWork(String name, PageRef page, org.pinlab.api.fs.FolioWork work) {
        deferred.queueFolioWork(this, page.pfn(), name, work);
    }

    @Override
    public org.pinlab.api.fs.FsWork newWork(String name, Runnable fn) {
        return deferred.newWork(this, name, fn);
    }

    @Override
    public void mappingSetError(PageRef page, int err) {
        if (err >= 0) {
            throw new IllegalArgumentException("mapping_set_error of page " + page.index() + " of inode "
                    + page.inode() + ": " + err + " is not a negative errno");
        }
        deferred.mappingSetError(page.pfn(), err, frames.token(page.pfn()));
    }

    @Override
    public boolean clearDirtyForIo(PageRef page) {
        if (!frames.test(page.pfn(), org.pinlab.api.mm.PageFlags.LOCKED)) {
            throw new IllegalStateException("folio_clear_dirty_for_io of page " + page.index() + " of inode "
                    + page.inode() + ", which is not locked");
        }
        return deferred.clearDirtyForIo(page.pfn());
    }

    @Override
    public void redirtyForWritepage(PageRef page) {
        if (!frames.test(page.pfn(), org.pinlab.api.mm.PageFlags.LOCKED)
                || frames.test(page.pfn(), org.pinlab.api.mm.PageFlags.WRITEBACK)) {
            throw new IllegalStateException("folio_redirty_for_writepage of page " + page.index() + " of inode "
                    + page.inode() + ": only ->writepage may, on its locked page before starting writeback");
        }
        io.redirtyForWritepage(page.pfn());
    }

    @Override
    public void endWritebackUnsubmitted(PageRef page) {
        io.endPageWriteback(page.pfn());
    }

    @Override
    public void submitRead(PageRef page, long block) {
        io.submitRead(this, page.pfn(), block);
    }

    @Override
    public void zeroPage(PageRef page) {
        io.zeroFill(page.pfn());
    }

    @Override
    public void zeroBlock(long block) {
        if (pmem != null) {
            frames.setToken(pmemFrame(block), BlockDevice.ZERO); // dax_zero_range: a store into pmem
        } else {
            // blkdev_issue_zeroout; departure: done at once, the kernel waits for the write
            device.store(block, BlockDevice.ZERO);
        }
    }

    @Override
    public void bug(String function, String message) {
        printk.bug(function, message);
    }

    @Override
    public void warn(String function, String message) {
        printk.warn(function, message);
    }

    @Override
    public long now() {
        return engine.now();
    }
}
