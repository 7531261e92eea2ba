package org.pinlab.api.fs.testing;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;
import org.pinlab.api.mm.PageFlags;

/**
 * Records every call a superblock makes to its kernel, for unit tests of filesystem
 * bundles: the I/O it submits, the pages it zeroes or finishes without I/O, its BUGs and
 * WARNs. Shipped in the api test-jar.
 */
public final class FakeFsKernel implements FsKernel {

    /** One submitted bio: which page, which block. */
    public record Io(int inode, int index, long block) {
    }

    /** One BUG or WARN: the function that raised it and its message. */
    public record Finding(String function, String message) {
    }

    private final long blocks;
    public final List<Io> writes = new ArrayList<>();
    public final List<Io> reads = new ArrayList<>();
    /** Pages zeroed as holes, as {@code inode:index}. */
    public final List<String> zeroed = new ArrayList<>();
    /** Pages given back dirty by ->writepage, as {@code inode:index}. */
    public final List<String> redirtied = new ArrayList<>();
    /** Pages whose writeback ended without I/O, as {@code inode:index}. */
    public final List<String> unsubmitted = new ArrayList<>();
    /** Blocks zeroed at once ({@code zeroBlock}), in call order. */
    public final List<Long> zeroedBlocks = new ArrayList<>();
    public final List<Finding> bugs = new ArrayList<>();
    public final List<Finding> warnings = new ArrayList<>();

    /** A kernel whose device has {@code blocks} blocks. */
    public FakeFsKernel(long blocks) {
        this.blocks = blocks;
    }

    /** Pages the filesystem put under writeback ({@code folio_start_writeback}), as {@code inode:index}. */
    public final List<String> started = new ArrayList<>();

    /**
     * The kernel's writeback of one page ({@code write_cache_pages}): dirty cleared,
     * {@code ->writepage} (which sets PG_writeback itself to write the page), and PG_writeback
     * cleared again as if the I/O completed at once.
     */
    public static int writeback(Superblock sb, FakePage page) {
        page.without(PageFlags.DIRTY);
        int ret = sb.writepage(page);
        page.without(PageFlags.WRITEBACK);
        return ret;
    }

    @Override
    public void startWriteback(PageRef page) {
        if (page.test(PageFlags.WRITEBACK)) {
            throw new IllegalStateException("folio_start_writeback of a page already under writeback: " + page);
        }
        if (page instanceof FakePage p) {
            p.with(PageFlags.WRITEBACK);
        }
        started.add(page.inode() + ":" + page.index());
    }

    @Override
    public long blocks() {
        return blocks;
    }

    @Override
    public void submitWrite(PageRef page, long block) {
        if (!page.test(PageFlags.WRITEBACK)) {
            throw new IllegalStateException("submit_bio of a page without PG_writeback: " + page);
        }
        writes.add(new Io(page.inode(), page.index(), block));
    }

    /** One queued folio work item, for the test to run as the kworker would. */
    public record QueuedWork(String name, PageRef page, org.pinlab.api.fs.FolioWork work) {
        public void run() {
            work.run(page);
        }
    }

    public final List<QueuedWork> queuedWork = new ArrayList<>();
    /** Errors recorded with mapping_set_error, as {@code inode:index:errno}. */
    public final List<String> mappingErrors = new ArrayList<>();

    @Override
    public void queueFolioWork(String name, PageRef page, org.pinlab.api.fs.FolioWork work) {
        queuedWork.add(new QueuedWork(name, page, work));
    }

    /** A work item the test runs by hand: queued when pending, with the delay it was queued with. */
    public static final class FakeWork implements org.pinlab.api.fs.FsWork {
        public final String name;
        private final Runnable fn;
        private boolean pending;
        public long delayNs = -1;
        public int runs;

        FakeWork(String name, Runnable fn) {
            this.name = name;
            this.fn = fn;
        }

        @Override
        public boolean queue() {
            return queueDelayed(0);
        }

        @Override
        public boolean queueDelayed(long delayNs) {
            if (pending) {
                return false;
            }
            pending = true;
            this.delayNs = delayNs;
            return true;
        }

        @Override
        public boolean pending() {
            return pending;
        }

        /** The kworker: PENDING clears, then the function runs. */
        public void run() {
            pending = false;
            runs++;
            fn.run();
        }
    }

    public final List<FakeWork> works = new ArrayList<>();

    @Override
    public org.pinlab.api.fs.FsWork newWork(String name, Runnable fn) {
        FakeWork w = new FakeWork(name, fn);
        works.add(w);
        return w;
    }

    @Override
    public void mappingSetError(PageRef page, int err) {
        mappingErrors.add(page.inode() + ":" + page.index() + ":" + err);
    }

    @Override
    public boolean clearDirtyForIo(PageRef page) {
        boolean dirty = page.test(org.pinlab.api.mm.PageFlags.DIRTY);
        if (page instanceof FakePage fake) {
            fake.without(org.pinlab.api.mm.PageFlags.DIRTY);
        }
        return dirty;
    }

    /** Writes into unwritten extents, with the conversion the kernel's worker would run. */
    public record UnwrittenIo(Io io, org.pinlab.api.fs.UnwrittenConversion convert) {
        /** What the worker does after the I/O: convert the extent. */
        public void complete() {
            convert.convert(io.inode(), io.index(), io.block());
        }
    }

    public final List<UnwrittenIo> unwrittenWrites = new ArrayList<>();

    @Override
    public void submitUnwrittenWrite(PageRef page, long block, org.pinlab.api.fs.UnwrittenConversion convert) {
        Io io = new Io(page.inode(), page.index(), block);
        writes.add(io);
        unwrittenWrites.add(new UnwrittenIo(io, convert));
    }

    @Override
    public void redirtyForWritepage(PageRef page) {
        redirtied.add(page.inode() + ":" + page.index());
        if (page instanceof FakePage fake) {
            fake.with(org.pinlab.api.mm.PageFlags.DIRTY);
        }
    }

    @Override
    public void endWritebackUnsubmitted(PageRef page) {
        unsubmitted.add(page.inode() + ":" + page.index());
    }

    @Override
    public void submitRead(PageRef page, long block) {
        reads.add(new Io(page.inode(), page.index(), block));
    }

    @Override
    public void zeroPage(PageRef page) {
        zeroed.add(page.inode() + ":" + page.index());
    }

    @Override
    public void zeroBlock(long block) {
        zeroedBlocks.add(block);
    }

    @Override
    public void bug(String function, String message) {
        bugs.add(new Finding(function, message));
    }

    @Override
    public void warn(String function, String message) {
        warnings.add(new Finding(function, message));
    }

    @Override
    public long now() {
        return 0;
    }
}
