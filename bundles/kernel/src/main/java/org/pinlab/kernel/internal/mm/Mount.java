package org.pinlab.kernel.internal.mm;

import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;
import org.pinlab.kernel.internal.block.BlockDevice;

/**
 * A mounted filesystem: the filesystem's {@link Superblock} and the {@link FsKernel} the
 * kernel gives it, over one block device. A DAX mount's blocks are frames instead: the
 * device then only gives the size, and the data lives in the pmem region.
 */
public final class Mount implements FsKernel {

    final Kernel kernel;
    final String path;
    final BlockDevice device;
    Superblock sb;
    /** DAX: the pmem region, block -> frame (set by the kernel at mount); null for a block-device mount. */
    int[] pmem;

    Mount(Kernel kernel, String path, BlockDevice device) {
        this.kernel = kernel;
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
    long durable(long block) {
        return pmem != null ? kernel.frames.token(pmemFrame(block)) : device.read(block);
    }

    @Override
    public long blocks() {
        return device.size();
    }

    @Override
    public void submitWrite(PageRef page, long block) {
        kernel.submitWrite(this, page.pfn(), block);
    }

    @Override
    public void endWritebackUnsubmitted(PageRef page) {
        kernel.endPageWriteback(page.pfn());
    }

    @Override
    public void submitRead(PageRef page, long block) {
        kernel.submitRead(this, page.pfn(), block);
    }

    @Override
    public void zeroPage(PageRef page) {
        kernel.zeroFill(page.pfn());
    }

    @Override
    public void zeroBlock(long block) {
        if (pmem != null) {
            kernel.frames.setToken(pmemFrame(block), BlockDevice.ZERO); // dax_zero_range: a store into pmem
        } else {
            // blkdev_issue_zeroout; departure: done at once, the kernel waits for the write
            device.store(block, BlockDevice.ZERO);
        }
    }

    @Override
    public void bug(String function, String message) {
        kernel.bug(function, message);
    }

    @Override
    public void warn(String function, String message) {
        kernel.warn(function, message);
    }

    @Override
    public long now() {
        return kernel.engine.now();
    }
}
