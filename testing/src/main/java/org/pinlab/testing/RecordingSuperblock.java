package org.pinlab.testing;

import java.util.function.BiPredicate;

import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;
import org.pinlab.testing.FsCallLog.Call;
import org.pinlab.testing.FsCallLog.Callback;

/**
 * The superblock under test, as the kernel sees it: every callback is passed on unchanged
 * (the SPI's default methods included, so the filesystem's own overrides run) and logged with
 * the page's flags before and after.
 */
final class RecordingSuperblock implements Superblock {

    private final Superblock fs;
    private final FsCallLog log;
    private final RecordingFsKernel kernel;
    /** Whether page (inode, index) is in the page cache now; set once the machine exists. */
    private final BiPredicate<Integer, Integer> cached;

    RecordingSuperblock(Superblock fs, FsCallLog log, RecordingFsKernel kernel, BiPredicate<Integer, Integer> cached) {
        this.fs = fs;
        this.log = log;
        this.kernel = kernel;
        this.cached = cached;
    }

    private Call enter(Callback callback, PageRef page) {
        return log.add(callback, page.inode(), page.index(), page.index() + 1, page.flags());
    }

    private int exit(Call c, PageRef page, int result) {
        c.flagsAtExit = page.flags();
        c.result = result;
        return result;
    }

    @Override
    public String typeName() {
        return fs.typeName();
    }

    @Override
    public boolean needsPageMkwrite() {
        return fs.needsPageMkwrite();
    }

    @Override
    public boolean stableWrites() {
        return fs.stableWrites();
    }

    @Override
    public boolean hasBackingStore() {
        return fs.hasBackingStore();
    }

    @Override
    public int pageMkwrite(PageRef page) {
        Call c = enter(Callback.PAGE_MKWRITE, page);
        return exit(c, page, fs.pageMkwrite(page));
    }

    @Override
    public int writeBegin(PageRef page) {
        Call c = enter(Callback.WRITE_BEGIN, page);
        return exit(c, page, fs.writeBegin(page));
    }

    @Override
    public int writepage(PageRef page) {
        Call c = enter(Callback.WRITEPAGE, page);
        kernel.writepageStarts(c, page.pfn());
        try {
            return exit(c, page, fs.writepage(page));
        } finally {
            kernel.writepageEnds();
        }
    }

    @Override
    public void dirtyFolio(PageRef page) {
        Call c = enter(Callback.DIRTY_FOLIO, page);
        fs.dirtyFolio(page);
        exit(c, page, 0);
    }

    @Override
    public int fsyncWritePasses() {
        return fs.fsyncWritePasses();
    }

    @Override
    public int readPage(PageRef page) {
        Call c = enter(Callback.READ_PAGE, page);
        return exit(c, page, fs.readPage(page));
    }

    @Override
    public boolean releasePage(PageRef page) {
        return fs.releasePage(page);
    }

    @Override
    public void invalidatePage(PageRef page) {
        Call c = enter(Callback.INVALIDATE_PAGE, page);
        fs.invalidatePage(page);
        exit(c, page, 0);
    }

    @Override
    public void freeBlocks(int inode, int from, int to) {
        Call c = log.add(Callback.FREE_BLOCKS, inode, from, to, 0);
        for (int i = from; i < to; i++) {
            c.stillCached += cached.test(inode, i) ? 1 : 0;
        }
        fs.freeBlocks(inode, from, to);
    }

    @Override
    public long mappedBlock(int inode, int index) {
        return fs.mappedBlock(inode, index);
    }

    @Override
    public boolean dax() {
        return fs.dax();
    }

    @Override
    public boolean refusesLongtermPins() {
        return fs.refusesLongtermPins();
    }

    @Override
    public long allocateBlock(int inode, int index) {
        return fs.allocateBlock(inode, index);
    }

    @Override
    public void unmount() {
        fs.unmount();
    }
}
