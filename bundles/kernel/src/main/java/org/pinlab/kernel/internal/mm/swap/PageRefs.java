package org.pinlab.kernel.internal.mm.swap;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.mm.PhysicalMemory;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.oracles.Oracles;
import org.pinlab.sim.Engine;

/**
 * Page references (include/linux/mm.h, mm/swap.c): {@code get_page}, {@code put_page},
 * and the last put that takes the folio off the LRU and gives it back to the allocator.
 */
public final class PageRefs {

    private final Engine engine;
    private final FrameStore frames;
    private final Lru lru;
    private final PhysicalMemory phys;
    private final VmCounters vm;
    private final Oracles oracles;

    public PageRefs(Engine engine, FrameStore frames, Lru lru, PhysicalMemory phys, VmCounters vm, Oracles oracles) {
        this.engine = engine;
        this.frames = frames;
        this.lru = lru;
        this.phys = phys;
        this.vm = vm;
        this.oracles = oracles;
    }

    /** {@code get_page} / {@code folio_get}. */
    public void getPage(int pfn) {
        int head = frames.compoundHead(pfn);
        int count = frames.refcount(head);
        if (count <= 0) {
            oracles.useAfterFree(head, "get_page on a free page");
        } else if (count == Integer.MAX_VALUE) {
            // page_ref_inc past INT_MAX wraps negative: the v5.1 overflow the kernel now refuses
            engine.report(FindingKind.REFCOUNT_OVERFLOW, "page refcount overflow: pfn " + head);
            return;
        }
        frames.addRef(head, 1);
    }

    /** {@code put_page} / {@code folio_put}: frees the folio on the last reference. */
    public void putPage(int pfn) {
        putPages(pfn, 1);
    }

    /** {@code folio_put_refs}: drops {@code refs} references at once. */
    public void putPages(int pfn, int refs) {
        int head = frames.compoundHead(pfn);
        int before = frames.refcount(head);
        int left = frames.addRef(head, -refs);
        if (before < 0) {
            // already negative (the 2019 RFC's unchecked put_user_page can leave it so):
            // folio_put_testzero only decrements, and never reaches zero from there
            return;
        }
        if (left < 0) {
            engine.report(FindingKind.REFCOUNT_UNDERFLOW, "page refcount underflow: pfn " + head
                    + " refcount " + left + " (" + PageFlags.describe(frames.flags(head)) + ")");
            frames.setRefcount(head, 0);
        } else if (left == 0) {
            freeFolio(head);
        }
    }

    /** {@code __folio_put} -> {@code free_unref_page}: the frame goes back to the allocator. */
    private void freeFolio(int head) {
        if (frames.test(head, PageFlags.LRU)) {
            lru.remove(head); // __page_cache_release
        }
        int order = frames.folioOrder(head);
        if (frames.test(head, PageFlags.ANON)) {
            vm.count(Vmstat.NR_ANON_PAGES, -1);
        }
        frames.destroyCompound(head);
        frames.reset(head);
        frames.set(head, PageFlags.BUDDY);
        phys.freePages(head, order);
        vm.count(Vmstat.NR_FREE_PAGES, 1L << order);
        oracles.frameFreed(head, order);
    }
}
