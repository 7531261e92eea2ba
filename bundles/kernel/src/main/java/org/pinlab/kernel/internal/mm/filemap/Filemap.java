package org.pinlab.kernel.internal.mm.filemap;

import org.pinlab.api.fs.PageRef;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.block.BlockDevice;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.RunMetrics;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.frames.ZoneDevice;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Inodes;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.backing.BdiWriteback;
import org.pinlab.kernel.internal.mm.swap.Lru;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.oracles.Oracles;
import org.pinlab.sim.Engine;

/**
 * mm/filemap.c: the page cache of every file (pages in, pages out, which file holds a
 * frame), {@code folio_end_writeback}, and dirtying a page. {@code folio_mark_dirty} is
 * page-writeback.c's in the kernel; it lives here because unmapping passes a PTE's dirt to
 * it from below the writeback code (see the README).
 */
public final class Filemap {

    private final Engine engine;
    private final FrameStore frames;
    private final Lru lru;
    private final VmCounters vm;
    public final Inodes inodes;
    private final Oracles oracles;
    private final RunMetrics metrics;
    private final ZoneDevice zoneDevice;
    private final BdiWriteback wb;
    private final PageLocks pageLocks;
    private final PageView pageView;

    public Filemap(Engine engine, FrameStore frames, Lru lru, VmCounters vm, Inodes inodes, Oracles oracles,
                   RunMetrics metrics, ZoneDevice zoneDevice, BdiWriteback wb, PageLocks pageLocks, PageRefs refs) {
        this.engine = engine;
        this.frames = frames;
        this.lru = lru;
        this.vm = vm;
        this.inodes = inodes;
        this.oracles = oracles;
        this.metrics = metrics;
        this.zoneDevice = zoneDevice;
        this.wb = wb;
        this.pageLocks = pageLocks;
        this.pageView = new PageView(frames, refs);
    }

    /** Creates a file of {@code pages} pages, all holes. */
    public Inode createFile(Mount mount, int pages) {
        Inode inode = new Inode(inodes.nextIno(), mount, pages);
        inodes.add(inode);
        oracles.fileCreated(inode);
        return inode;
    }

    /** {@code filemap_add_folio}: the page cache takes its own reference; PG_locked is set. */
    public void addToPageCache(Inode inode, int index, int pfn) {
        frames.setOwner(pfn, inode.ino, index);
        // a new page, locked for the read in flight: the I/O owns the lock, not the faulting task
        frames.set(pfn, PageFlags.LOCKED);
        inode.mapping.insert(index, pfn);
        frames.addRef(pfn, 1);
        lru.add(pfn);
        vm.count(Vmstat.NR_FILE_PAGES, 1);
    }

    /**
     * {@code __filemap_remove_folio}: the page leaves the page cache; the caller drops the
     * cache's reference.
     */
    public void deleteFromPageCache(int pfn) {
        Inode inode = inodes.get(frames.mapping(pfn));
        inode.mapping.delete(frames.index(pfn));
        if (frames.testAndClear(pfn, PageFlags.DIRTY)) {
            vm.count(Vmstat.NR_FILE_DIRTY, -1);
        }
        frames.setOwner(pfn, FrameStore.NO_MAPPING, 0);
        vm.count(Vmstat.NR_FILE_PAGES, -1);
    }

    /** The inode whose page cache holds a frame, or null (anonymous, free, or truncated). */
    public Inode fileOf(int pfn) {
        if (frames.test(pfn, PageFlags.ANON) || frames.test(pfn, PageFlags.BUDDY)) {
            return null;
        }
        int ino = frames.mapping(pfn);
        if (!inodes.exists(ino)) {
            return null;
        }
        Inode inode = inodes.get(ino);
        return inode.mapping.lookup(frames.index(pfn)) == pfn ? inode : null;
    }

    /**
     * {@code folio_mark_dirty} -> the filesystem's {@code ->dirty_folio}, then
     * {@code filemap_dirty_folio}: PG_dirty, the mapping's dirty tag and the inode on the
     * writeback list. Anonymous pages only get PG_dirty.
     *
     * @return true if the page was clean before
     */
    public boolean setPageDirty(int pfn) {
        boolean pmem = zoneDevice.isPmem(pfn);
        Inode inode = pmem ? null : fileOf(pfn);
        if (inode != null) {
            // folio_mark_dirty (mm/page-writeback.c, v6.12): mapping->a_ops->dirty_folio, which
            // sees the folio as its caller left it, before filemap_dirty_folio below
            inode.mount.sb.dirtyFolio(page(pfn));
        }
        if (frames.testAndSet(pfn, PageFlags.DIRTY)) {
            return false;
        }
        if (pmem) {
            return true; // DAX: noop_dirty_folio sets PG_dirty and nothing else (see fs.dax)
        }
        metrics.dirtied(pfn);
        if (inode != null) {
            oracles.fileDirtied(inode, pfn);
            inode.mapping.setDirtyTag(frames.index(pfn), true);
            if (inode.mapping.dirtiedWhen < 0) {
                inode.mapping.dirtiedWhen = engine.now();
            }
            vm.count(Vmstat.NR_FILE_DIRTY, 1);
            // balance_dirty_pages: past dirty_background_ratio (10%) the flusher starts at once
            if (vm.vmstat(Vmstat.NR_FILE_DIRTY) * 10 > frames.frames() && !wb.writebackRequested) {
                wb.wakeFlusher();
            }
        }
        engine.mix(0xD1L ^ pfn);
        return true;
    }

    /**
     * {@code __folio_start_writeback} (mm/page-writeback.c, v6.12): PG_writeback, the
     * mapping's writeback tag, NR_WRITEBACK. Called by the filesystem's {@code ->writepage}.
     */
    public void startPageWriteback(int pfn) {
        if (frames.testAndSet(pfn, PageFlags.WRITEBACK)) {
            throw new IllegalStateException("folio_start_writeback of pfn " + pfn + ", already under writeback");
        }
        Inode inode = fileOf(pfn);
        if (inode != null) {
            inode.mapping.setWritebackTag(frames.index(pfn), true);
        }
        vm.count(Vmstat.NR_WRITEBACK, 1);
        vm.count(Vmstat.WRITEBACK_PAGES, 1);
    }

    /**
     * {@code folio_redirty_for_writepage} (mm/page-writeback.c, v6.12): {@code filemap_dirty_folio},
     * so no {@code ->dirty_folio} and no new dirtying for the oracles or the dirtied count, and one
     * more page skipped for the writeback pass ({@code wbc->pages_skipped}).
     */
    public void redirtyForWritepage(int pfn) {
        Inode inode = fileOf(pfn);
        if (inode == null) {
            throw new IllegalStateException("folio_redirty_for_writepage of pfn " + pfn + ", not in a page cache");
        }
        inode.mapping.redirtied++;
        if (frames.testAndSet(pfn, PageFlags.DIRTY)) {
            return;
        }
        inode.mapping.setDirtyTag(frames.index(pfn), true);
        if (inode.mapping.dirtiedWhen < 0) {
            inode.mapping.dirtiedWhen = engine.now();
        }
        vm.count(Vmstat.NR_FILE_DIRTY, 1);
        engine.mix(0xD2L ^ pfn);
    }

    /** {@code folio_end_writeback}: PG_writeback cleared, waiters woken. */
    public void endPageWriteback(int pfn) {
        metrics.cleaned(pfn);
        Inode inode = fileOf(pfn);
        if (inode != null) {
            inode.mapping.setWritebackTag(frames.index(pfn), false);
        }
        vm.count(Vmstat.NR_WRITEBACK, -1);
        frames.clear(pfn, PageFlags.RECLAIM);
        pageLocks.endPageWriteback(pfn);
    }

    /** A hole reads as zeroes: {@code folio_zero_range} + {@code folio_mark_uptodate}, then unlock. */
    public void zeroFill(int pfn) {
        frames.setToken(pfn, BlockDevice.ZERO);
        frames.set(pfn, PageFlags.UPTODATE);
        pageLocks.unlockPage(pfn);
    }

    /** The flyweight page view handed to filesystem callbacks. */
    public PageRef page(int pfn) {
        return pageView.at(pfn);
    }
}
