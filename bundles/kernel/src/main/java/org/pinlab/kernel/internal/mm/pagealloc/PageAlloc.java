package org.pinlab.kernel.internal.mm.pagealloc;

import org.pinlab.api.mm.PhysicalMemory;
import org.pinlab.api.mm.Watermark;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.oracles.Oracles;
import org.pinlab.sim.WaitQueue;

/**
 * mm/page_alloc.c over the pluggable page allocator: taking a frame, the watermarks that
 * wake kswapd, and which zone a long-term pin may hold. Freeing is the last put of a
 * folio, in mm/swap.c's {@code PageRefs}.
 */
public final class PageAlloc {

    public final PhysicalMemory phys;
    private final FrameStore frames;
    private final VmCounters vm;
    private final Oracles oracles;
    /** {@code pgdat->kswapd_wait}: where kswapd sleeps until memory runs low. */
    public final WaitQueue kswapdWait = new WaitQueue("kswapd_wait");

    public PageAlloc(PhysicalMemory phys, FrameStore frames, VmCounters vm, Oracles oracles) {
        this.phys = phys;
        this.frames = frames;
        this.vm = vm;
        this.oracles = oracles;
    }

    /**
     * {@code get_page_from_freelist} for one page: takes a frame with one reference, or
     * returns -1. Wakes kswapd when free memory falls below the low watermark
     * ({@code wakeup_kswapd}); the caller enters direct reclaim on failure.
     */
    public int allocPage(Zone zone) {
        boolean belowMin = !phys.watermarkOk(zone, 0, Watermark.MIN);
        if (!phys.watermarkOk(zone, 0, Watermark.LOW)) {
            wakeKswapd();
        }
        if (belowMin) {
            return -1; // __alloc_pages_slowpath: below min, reclaim before taking more
        }
        long pfn = phys.allocPages(zone, 0);
        if (pfn == PhysicalMemory.NO_PAGE) {
            return -1;
        }
        int p = (int) pfn;
        frames.reset(p);
        frames.setRefcount(p, 1);
        vm.count(Vmstat.NR_FREE_PAGES, -1);
        oracles.frameAllocated(p);
        return p;
    }

    /**
     * A page for user memory or the page cache ({@code GFP_HIGHUSER_MOVABLE}): the zonelist
     * tries ZONE_MOVABLE first, then ZONE_NORMAL.
     */
    public int allocUserPage() {
        return allocUserPage(false);
    }

    /**
     * As {@link #allocUserPage()}; with {@code memallocPin}, inside {@code memalloc_pin_save}
     * ({@code current_gfp_context} clears __GFP_MOVABLE under PF_MEMALLOC_PIN, v6.12), only
     * ZONE_NORMAL is tried.
     */
    public int allocUserPage(boolean memallocPin) {
        if (!memallocPin && phys.layout().movableFrames() > 0) {
            int p = allocPage(Zone.MOVABLE);
            if (p >= 0) {
                return p;
            }
        }
        return allocPage(Zone.NORMAL);
    }

    /**
     * {@code folio_is_longterm_pinnable()} (include/linux/mm.h, v6.12): the zero page may be
     * pinned, a folio in ZONE_MOVABLE must be migrated out before a FOLL_LONGTERM pin may hold
     * it. Its other refusals have nothing to refuse here: the model has no CMA (MIGRATE_CMA or
     * MIGRATE_ISOLATE pageblocks) and no device-coherent memory. fsdax and secretmem are not
     * its business but {@code check_vma_flags}'.
     */
    public boolean isLongtermPinnable(int pfn) {
        return frames.isZeroPage(pfn) || phys.layout().zoneOf(pfn) != Zone.MOVABLE;
    }

    /** Whether every populated zone is above a watermark ({@code pgdat_balanced}). */
    public boolean balanced(Watermark mark) {
        for (Zone z : Zone.values()) {
            if (phys.layout().zoneFrames(z) > 0 && !phys.watermarkOk(z, 0, mark)) {
                return false;
            }
        }
        return true;
    }

    /** {@code wakeup_kswapd}. */
    public void wakeKswapd() {
        kswapdWait.wakeAll();
    }
}
