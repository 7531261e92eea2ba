package org.pinlab.kernel.internal.mm.migrate;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.mmap.Mmap;
import org.pinlab.kernel.internal.mm.pagealloc.PageAlloc;
import org.pinlab.kernel.internal.mm.swap.Lru;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.sim.Engine;

/**
 * mm/migrate.c: moving a folio's data and mappings to another frame. The long-term pin path
 * of mm/gup.c isolates the folios ({@link #isolateLru}), hands them to
 * {@link #migratePages}, and puts back what did not move ({@link #putback}).
 */
public final class Migrate {

    /** {@code MIGRATEPAGE_SUCCESS}. */
    static final int SUCCESS = 0;

    final Engine engine;
    final FrameStore frames;
    final VmCounters vm;
    final PageLocks pageLocks;
    private final CostTable costs;
    private final Lru lru;
    private final PageAlloc pageAlloc;
    private final PageRefs refs;
    private final Filemap filemap;
    private final Mmap mmap;

    public Migrate(Engine engine, CostTable costs, FrameStore frames, VmCounters vm, Lru lru, PageLocks pageLocks,
                   PageAlloc pageAlloc, PageRefs refs, Filemap filemap, Mmap mmap) {
        this.engine = engine;
        this.costs = costs;
        this.frames = frames;
        this.vm = vm;
        this.lru = lru;
        this.pageLocks = pageLocks;
        this.pageAlloc = pageAlloc;
        this.refs = refs;
        this.filemap = filemap;
        this.mmap = mmap;
    }

    long cost(Cost c) {
        return costs.ns(c);
    }

    /**
     * {@code folio_isolate_lru} (mm/vmscan.c, v6.12): takes the folio off its LRU list with a
     * reference of its own, so it stays while it migrates.
     *
     * @return false if it is on no LRU list (isolated by someone else, e.g. reclaim)
     */
    public boolean isolateLru(int pfn) {
        int head = frames.compoundHead(pfn);
        if (!frames.test(head, PageFlags.LRU)) {
            return false;
        }
        lru.remove(head);
        refs.getPage(head);
        return true;
    }

    /**
     * {@code putback_movable_pages} -> {@code folio_putback_lru} (mm/migrate.c, v6.12): a folio
     * that did not migrate goes back on the LRU and its isolation reference is dropped.
     */
    public void putback(int pfn) {
        int head = frames.compoundHead(pfn);
        lru.add(head);
        refs.putPage(head);
    }

    /**
     * {@code migrate_pages(from, alloc_migration_target, ..., MIGRATE_SYNC, MR_LONGTERM_PIN)}
     * (mm/migrate.c, v6.12) for {@code count} isolated folios: a Proc that moves each to a
     * frame in ZONE_NORMAL, or leaves it isolated for {@link #putback}.
     */
    public MigratePages migratePages(int[] folios, int count) {
        return new MigratePages(this, folios, count);
    }

    /**
     * One try at one isolated folio: {@code migrate_folio_unmap}, then {@code migrate_folio_move}
     * (mm/migrate.c, v6.12). A new page in ZONE_NORMAL takes over the data, flags, private data
     * (buffers move with the page, as {@code buffer_migrate_folio} does), the page-cache slot or
     * anonymous ownership, the PTEs and an LRU place; the old frame is freed. Departure: one
     * atomic step, where the kernel unmaps, copies and remaps in several with the folio locked.
     *
     * @param sync   MIGRATE_SYNC, where the caller already holds the folio lock and waited for
     *               writeback; else MIGRATE_ASYNC, which gives up on a locked folio (-EAGAIN)
     *               and on one under writeback (-EBUSY)
     * @return {@link #SUCCESS}; -EAGAIN if the folio has references beyond its mappings, the
     *         page cache and the isolation ({@code folio_migrate_mapping}'s refcount freeze
     *         fails) or is locked; -ENOMEM if no target page is free; -EBUSY if the model cannot
     *         move this kind of folio at all
     */
    int tryMove(int pfn, boolean sync) {
        if (frames.refcount(pfn) == 1) {
            // only the isolation reference is left: the folio was freed from under us
            if (sync) {
                pageLocks.unlockPage(pfn);
            }
            refs.putPage(pfn);
            return SUCCESS;
        }
        boolean anon = frames.test(pfn, PageFlags.ANON);
        Inode inode = filemap.fileOf(pfn);
        if (frames.isLarge(pfn) || (inode == null && !anon)) {
            // departure: no large folio reaches ZONE_MOVABLE in the model (faults allocate small
            // pages, THPs are populated in ZONE_NORMAL), so large-folio migration is not modelled
            return Errno.EBUSY.negative();
        }
        int to = pageAlloc.allocPage(Zone.NORMAL); // alloc_migration_target: GFP_USER, never movable
        if (to < 0) {
            return Errno.ENOMEM.negative();
        }
        if (!sync && frames.test(pfn, PageFlags.LOCKED | PageFlags.WRITEBACK)) {
            refs.putPage(to);
            return frames.test(pfn, PageFlags.LOCKED) ? Errno.EAGAIN.negative() : Errno.EBUSY.negative();
        }
        int mapped = frames.mapcount(pfn);
        boolean priv = frames.test(pfn, PageFlags.PRIVATE);
        // folio_expected_ref_count + 1: mappings, page cache, private data, and our isolation
        int expected = mapped + (priv ? 1 : 0) + (inode != null ? 1 : 0) + (anon && mapped == 0 ? 1 : 0) + 1;
        if (frames.refcount(pfn) != expected) {
            refs.putPage(to); // migrate_folio_undo_dst
            return Errno.EAGAIN.negative();
        }
        int keep = PageFlags.DIRTY | PageFlags.UPTODATE | PageFlags.PRIVATE | PageFlags.ANON | PageFlags.SWAPBACKED
                | PageFlags.REFERENCED | PageFlags.ACTIVE | PageFlags.MKWRITE_SEEN;
        frames.set(to, frames.flags(pfn) & keep);
        frames.setToken(to, frames.token(pfn));
        frames.setPriv(to, frames.priv(pfn));
        frames.setOwner(to, frames.mapping(pfn), frames.index(pfn));
        frames.setRefcount(to, expected - 1); // the isolation reference stays with the old folio
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
        lru.add(to); // folio_add_lru(dst)
        frames.clear(pfn, keep);
        frames.addMapcount(pfn, -mapped);
        if (sync) {
            pageLocks.unlockPage(pfn);
        }
        frames.setRefcount(pfn, 1);
        refs.putPage(pfn); // migrate_folio_done: the old folio goes
        engine.mix(0x316L ^ ((long) pfn << 24) ^ to);
        return SUCCESS;
    }
}
