package org.pinlab.kernel.internal.mm;

import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;

/**
 * A mounted filesystem: the filesystem's {@link Superblock} and the {@link FsKernel} the
 * kernel gives it, over one block device.
 */
public final class Mount implements FsKernel {

    final Kernel kernel;
    final String path;
    final BlockDevice device;
    Superblock sb;

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
