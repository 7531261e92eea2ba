package org.pinlab.kernel.internal.mm.migrate;

import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.mmap.Mmap;
import org.pinlab.kernel.internal.mm.pagealloc.PageAlloc;
import org.pinlab.kernel.internal.mm.swap.Lru;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.sim.Engine;

/** mm/migrate.c: moving a page's data and mappings to another frame. */
public final class Migrate {

    private final Engine engine;
    private final FrameStore frames;
    private final Lru lru;
    private final PageAlloc pageAlloc;
    private final PageRefs refs;
    private final Filemap filemap;
    private final Mmap mmap;

    public Migrate(Engine engine, FrameStore frames, Lru lru, PageAlloc pageAlloc, PageRefs refs, Filemap filemap,
                   Mmap mmap) {
        this.engine = engine;
        this.frames = frames;
        this.lru = lru;
        this.pageAlloc = pageAlloc;
        this.refs = refs;
        this.filemap = filemap;
        this.mmap = mmap;
    }

    /**
     * {@code migrate_pages} for one small page out of ZONE_MOVABLE, as
     * {@code check_and_migrate_movable_pages} does before a long-term pin: a new page in
     * ZONE_NORMAL takes over the data, flags, private data (buffers move with the page, as
     * {@code buffer_migrate_folio} does), the page-cache slot or anonymous ownership, the
     * PTEs and the LRU place. Departure: done in one atomic step rather than with the old
     * page locked and unmapped across several.
     *
     * @return the new pfn, or -1 if the page is busy (locked, under writeback, or held by
     *         someone beyond its mappings: the kernel's -EAGAIN) or no memory is free
     */
    public int migrateToNormal(int pfn) {
        int mapped = frames.mapcount(pfn);
        boolean priv = frames.test(pfn, PageFlags.PRIVATE);
        boolean anon = frames.test(pfn, PageFlags.ANON);
        Inode inode = filemap.fileOf(pfn);
        int expected = mapped + (priv ? 1 : 0) + (inode != null ? 1 : 0) + (anon && mapped == 0 ? 1 : 0);
        if (frames.isLarge(pfn) || frames.test(pfn, PageFlags.LOCKED | PageFlags.WRITEBACK)
                || frames.refcount(pfn) != expected || (inode == null && !anon)) {
            return -1;
        }
        int to = pageAlloc.allocPage(Zone.NORMAL);
        if (to < 0) {
            return -1;
        }
        int keep = PageFlags.DIRTY | PageFlags.UPTODATE | PageFlags.PRIVATE | PageFlags.ANON | PageFlags.SWAPBACKED
                | PageFlags.REFERENCED | PageFlags.ACTIVE | PageFlags.MKWRITE_SEEN;
        boolean onLru = frames.test(pfn, PageFlags.LRU);
        if (onLru) {
            lru.remove(pfn);
        }
        frames.set(to, frames.flags(pfn) & keep);
        frames.setToken(to, frames.token(pfn));
        frames.setPriv(to, frames.priv(pfn));
        frames.setOwner(to, frames.mapping(pfn), frames.index(pfn));
        frames.setRefcount(to, expected);
        frames.addMapcount(to, mapped);
        if (inode != null) {
            inode.mapping.replace(frames.index(pfn), to);
        }
        for (Mm mm : mmap.mms()) {
            for (Vma v : mm.vmas) {
                for (int s = 0; s < v.pages; s++) {
                    if (v.pfn[s] == pfn) {
                        v.splitPmd(s); // split_huge_pmd before one subpage's entry changes
                        v.pfn[s] = to; // remove_migration_ptes
                    }
                }
            }
        }
        if (onLru) {
            lru.add(to);
        }
        frames.clear(pfn, keep);
        frames.addMapcount(pfn, -mapped);
        frames.setRefcount(pfn, 1);
        refs.putPage(pfn);
        engine.mix(0x316L ^ ((long) pfn << 24) ^ to);
        return to;
    }
}
