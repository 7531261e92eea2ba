package org.pinlab.kernel.internal.mm.writeback;

import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.bio.BlockIo;
import org.pinlab.kernel.internal.frames.FolioPins;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.pagealloc.PageAlloc;
import org.pinlab.kernel.internal.mm.rmap.Rmap;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.printk.Printk;
import org.pinlab.sim.Engine;

/**
 * mm/page-writeback.c: {@code write_cache_pages} ({@link WriteCachePages}) and
 * {@code folio_clear_dirty_for_io}. Dirtying ({@code folio_mark_dirty}) is in
 * {@code Filemap}, below the reverse map that calls it.
 */
public final class PageWriteback {

    public final Engine engine;
    public final CostTable costs;
    public final Choices choices;
    public final FrameStore frames;
    public final VmCounters vm;
    public final FolioPins pins;
    public final Printk printk;
    public final PageLocks pageLocks;
    public final PageAlloc pageAlloc;
    public final PageRefs refs;
    public final Filemap filemap;
    public final Rmap rmap;
    public final BlockIo blockIo;

    public PageWriteback(Engine engine, CostTable costs, Choices choices, FrameStore frames,
                         VmCounters vm, FolioPins pins, Printk printk, PageLocks pageLocks,
                         PageAlloc pageAlloc, PageRefs refs, Filemap filemap, Rmap rmap, BlockIo
                         blockIo) {
        this.engine = engine;
        this.costs = costs;
        this.choices = choices;
        this.frames = frames;
        this.vm = vm;
        this.pins = pins;
        this.printk = printk;
        this.pageLocks = pageLocks;
        this.pageAlloc = pageAlloc;
        this.refs = refs;
        this.filemap = filemap;
        this.rmap = rmap;
        this.blockIo = blockIo;
    }

    /** What {@code c} costs in simulated time on this machine: the steps of this file's paths charge it. */
    public long cost(Cost c) {
        return costs.ns(c);
    }

    /**
     * {@code folio_clear_dirty_for_io}: write-protects every PTE mapping the page
     * ({@code folio_mkclean}), so the next store faults and reaches {@code page_mkwrite},
     * then clears PG_dirty for writeback.
     *
     * @return true if the page was dirty
     */
    public boolean clearPageDirtyForIo(int pfn) {
        Inode inode = filemap.fileOf(pfn);
        if (inode != null) {
            rmap.pageMkclean(inode, pfn);
            inode.mapping.setDirtyTag(frames.index(pfn), false);
        }
        frames.clear(pfn, PageFlags.MKWRITE_SEEN);
        if (frames.testAndClear(pfn, PageFlags.DIRTY)) {
            if (inode != null) {
                vm.count(Vmstat.NR_FILE_DIRTY, -1);
            }
            return true;
        }
        return false;
    }
}
