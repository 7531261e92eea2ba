package org.pinlab.testing;

import java.util.HashSet;
import java.util.Set;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.FolioWork;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.FsWork;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.UnwrittenConversion;
import org.pinlab.testing.FsCallLog.Call;

/**
 * The kernel as the filesystem under test sees it: every call passed on, the ones a
 * {@code ->writepage} makes on its own page noted in its {@link Call}, and write bios of
 * chosen pages failed with {@code -EIO} instead of reaching the disk.
 */
final class RecordingFsKernel implements FsKernel {

    private final FsKernel kernel;
    /** The writepage running now and its page's frame, or null. */
    private Call writepage;
    private int writepagePfn = -1;
    /** (inode << 32 | index) of the pages whose next write bios fail. */
    private final Set<Long> failing = new HashSet<>();
    private int failed;

    RecordingFsKernel(FsKernel kernel) {
        this.kernel = kernel;
    }

    void writepageStarts(Call c, int pfn) {
        writepage = c;
        writepagePfn = pfn;
    }

    void writepageEnds() {
        writepage = null;
        writepagePfn = -1;
    }

    private Call mine(PageRef page) {
        return writepage != null && page.pfn() == writepagePfn ? writepage : null;
    }

    /** From now on every write bio of page {@code index} of {@code inode} fails. */
    void failWrites(int inode, int index) {
        failing.add(((long) inode << 32) | index);
    }

    /** Write bios failed so far. */
    int failedWrites() {
        return failed;
    }

    /**
     * A write bio of a failing page completes with {@code BLK_STS_IOERR}: the filesystem's end_io
     * records the error ({@code mapping_set_error} from {@code ext4_finish_bio} or
     * {@code iomap_finish_folio_write}, v6.12) and {@code folio_end_writeback} ends it. Model: at
     * once, in the submitter's step, with no data reaching the block.
     */
    private boolean failed(PageRef page) {
        if (!failing.contains(((long) page.inode() << 32) | page.index())) {
            return false;
        }
        failed++;
        kernel.mappingSetError(page, Errno.EIO.negative());
        kernel.endWritebackUnsubmitted(page);
        return true;
    }

    @Override
    public long blocks() {
        return kernel.blocks();
    }

    @Override
    public void submitWrite(PageRef page, long block) {
        Call c = mine(page);
        if (c != null) {
            c.submitted = true;
        }
        if (!failed(page)) {
            kernel.submitWrite(page, block);
        }
    }

    @Override
    public void submitUnwrittenWrite(PageRef page, long block, UnwrittenConversion convert) {
        Call c = mine(page);
        if (c != null) {
            c.submitted = true;
        }
        if (!failed(page)) {
            kernel.submitUnwrittenWrite(page, block, convert);
        }
    }

    @Override
    public void startWriteback(PageRef page) {
        Call c = mine(page);
        if (c != null) {
            c.startedWriteback = true;
        }
        kernel.startWriteback(page);
    }

    @Override
    public void redirtyForWritepage(PageRef page) {
        Call c = mine(page);
        if (c != null) {
            c.redirtied = true;
        }
        kernel.redirtyForWritepage(page);
    }

    @Override
    public void queueFolioWork(String name, PageRef page, FolioWork work) {
        Call c = mine(page);
        if (c != null) {
            c.queuedWork = true;
        }
        kernel.queueFolioWork(name, page, work);
    }

    @Override
    public FsWork newWork(String name, Runnable fn) {
        return kernel.newWork(name, fn);
    }

    @Override
    public void mappingSetError(PageRef page, int err) {
        kernel.mappingSetError(page, err);
    }

    @Override
    public boolean clearDirtyForIo(PageRef page) {
        return kernel.clearDirtyForIo(page);
    }

    @Override
    public void endWritebackUnsubmitted(PageRef page) {
        Call c = mine(page);
        if (c != null) {
            c.endedUnsubmitted = true;
        }
        kernel.endWritebackUnsubmitted(page);
    }

    @Override
    public void submitRead(PageRef page, long block) {
        kernel.submitRead(page, block);
    }

    @Override
    public void zeroPage(PageRef page) {
        kernel.zeroPage(page);
    }

    @Override
    public void zeroBlock(long block) {
        kernel.zeroBlock(block);
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
        return kernel.now();
    }
}
