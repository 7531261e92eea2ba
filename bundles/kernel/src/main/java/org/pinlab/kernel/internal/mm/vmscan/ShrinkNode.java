package org.pinlab.kernel.internal.mm.vmscan;

import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.policy.ReclaimPolicy;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.swap.Lru;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code shrink_node()} reduced to the file LRU, one page at a time:
 * {@code shrink_active_list} ages active pages onto the inactive list and
 * {@code shrink_folio_list} tries to free inactive ones. For each page it follows the
 * kernel's order: trylock, skip writeback, check references, unmap, ask the reclaim policy
 * about a pinned page (after the unmap, as v6.4 does), leave dirty pages to the flusher, {@code filemap_release_folio} (the filesystem drops its buffers), and only
 * then {@code __remove_mapping}, which freezes the refcount at the expected value or backs
 * out. A page someone holds an extra reference to (a GUP user) loses its buffers and stays:
 * the root of seed 001's crash.
 *
 * <p>Departure from the kernel: anonymous pages are not reclaimed (no swap device yet).
 */
public final class ShrinkNode extends Proc {

    private final Vmscan k;
    private final int target;
    private final boolean kswapd;
    private int scanned;
    private int pfn;
    /** Pages freed. */
    public int reclaimed;

    public ShrinkNode(Vmscan k, int target, boolean kswapd) {
        super(kswapd ? "balance_pgdat" : "try_to_free_pages");
        this.k = k;
        this.target = target;
        this.kswapd = kswapd;
    }

    /** {@code shrink_folio_list} for one page, in the kernel's order. */
    private enum Step implements Proc.State { ISOLATE, CHECK_REFERENCES, UNMAP_AND_RELEASE, REMOVE_MAPPING }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case ISOLATE:
                return isolate(t);
            case CHECK_REFERENCES:
                return checkPage(t);
            case UNMAP_AND_RELEASE:
                return unmapAndRelease(t);
            case REMOVE_MAPPING:
                return removeMapping(t);
            default:
                throw new IllegalStateException("shrink_node: bad pc " + pc);
        }
    }

    /** {@code isolate_lru_folios}: take the oldest inactive page, ageing active ones if needed. */
    private int isolate(Task t) {
        if (reclaimed >= target || scanned >= 4 * target + 32) {
            return t.ret();
        }
        if (k.lru.size(Lru.INACTIVE_FILE) < k.lru.size(Lru.ACTIVE_FILE)) {
            deactivateOne();
        }
        int p = k.lru.isolateTail(Lru.INACTIVE_FILE);
        if (p < 0) {
            return t.ret();
        }
        scanned++;
        k.vm.count(kswapd ? Vmstat.PGSCAN_KSWAPD : Vmstat.PGSCAN_DIRECT, 1);
        k.frames.addRef(p, 1); // folio_isolate_lru holds a reference
        pfn = p;
        resume(Step.CHECK_REFERENCES);
        return t.next(k.cost(Cost.RECLAIM_PAGE));
    }

    /** {@code shrink_active_list} for one page: referenced pages stay active, others go inactive. */
    private void deactivateOne() {
        int p = k.lru.isolateTail(Lru.ACTIVE_FILE);
        if (p < 0) {
            return;
        }
        if (!k.rmap.clearYoungPtes(p)) {
            k.frames.clear(p, PageFlags.ACTIVE);
        }
        k.lru.add(p);
    }

    private int checkPage(Task t) {
        if (!k.pageLocks.trylockPage(k.engine.current(), pfn)) {
            return putBack(t, false);
        }
        if (k.frames.test(pfn, PageFlags.WRITEBACK)) {
            k.frames.set(pfn, PageFlags.RECLAIM); // folio_set_reclaim: rotate when it ends
            return unlockAndPutBack(t, false);
        }
        if (k.choices.reclaim().checksBeforeUnmap() && k.pins.maybeDmaPinned(pfn)) {
            // keep-private-early: the question asked before try_to_unmap (not the kernel's place)
            int r = onPinned(t);
            if (r >= 0) {
                return r;
            }
        }
        // folio_check_references: young PTEs twice in a row activate; once, keep for another round
        boolean ptesYoung = k.rmap.clearYoungPtes(pfn);
        boolean referencedFolio = k.frames.testAndClear(pfn, PageFlags.REFERENCED);
        if (ptesYoung) {
            if (referencedFolio) {
                k.vm.count(Vmstat.PGACTIVATE, 1);
                return unlockAndPutBack(t, true);
            }
            k.frames.set(pfn, PageFlags.REFERENCED);
            return unlockAndPutBack(t, false);
        }
        resume(Step.UNMAP_AND_RELEASE);
        return t.next(k.cost(Cost.CPU_STEP));
    }

    private int unmapAndRelease(Task t) {
        if (k.filemap.fileOf(pfn) == null) {
            return unlockAndPutBack(t, false); // truncated meanwhile
        }
        if (k.frames.mapcount(pfn) > 0 && !k.rmap.tryToUnmap(pfn)) {
            return unlockAndPutBack(t, true);
        }
        // shrink_folio_list (mm/vmscan.c, d824ec2a1546, v6.4): "Folio is unmapped now so it
        // cannot be newly pinned anymore", so folio_maybe_dma_pinned is asked here, locked
        if (!k.choices.reclaim().checksBeforeUnmap() && k.pins.maybeDmaPinned(pfn)) {
            int r = onPinned(t);
            if (r >= 0) {
                return r;
            }
        }
        if (k.frames.test(pfn, PageFlags.DIRTY)) {
            // kswapd leaves file writeback to the flusher (pageout only for PG_reclaim)
            k.frames.set(pfn, PageFlags.RECLAIM);
            k.wb.wakeFlusher();
            return unlockAndPutBack(t, false);
        }
        if (k.frames.test(pfn, PageFlags.PRIVATE)) {
            // filemap_release_folio -> ->release_folio: buffers go before the refcount is checked
            Inode inode = k.filemap.fileOf(pfn);
            if (!inode.mount.sb.releasePage(k.filemap.page(pfn))) {
                return unlockAndPutBack(t, false);
            }
            k.vm.count(Vmstat.RECLAIM_BUFFERS_STRIPPED, 1);
            k.oracles.reclaimReleasedPrivate(inode, k.frames.index(pfn), pfn);
        }
        resume(Step.REMOVE_MAPPING);
        return t.next(k.cost(Cost.CPU_STEP));
    }

    /**
     * The reclaim policy's answer for the locked, pinned page: the step's result, or -1 to go
     * on reclaiming it (the kernel before v6.4, which did not ask).
     */
    private int onPinned(Task t) {
        ReclaimPolicy.Action action = k.choices.reclaim().onPinnedPage(k.filemap.page(pfn));
        k.engine.mix(0x5C0L + action.ordinal());
        if (action == ReclaimPolicy.Action.KEEP_ACTIVE) {
            // shrink_folio_list: folio_maybe_dma_pinned -> activate_locked, private data kept
            k.vm.count(Vmstat.RECLAIM_KEPT_PINNED, 1);
            return unlockAndPutBack(t, true);
        }
        if (action == ReclaimPolicy.Action.ISOLATE) {
            // Wilcox: off the LRU until unpinned; reclaim never sees it again meanwhile
            k.isolatePinned(pfn);
            k.metrics.pinnedIsolated();
            k.pageLocks.unlockPage(pfn);
            k.refs.putPage(pfn);
            resume(Step.ISOLATE);
            return t.next(k.cost(Cost.CPU_STEP));
        }
        return -1;
    }

    /** {@code __remove_mapping}: freeze the refcount at cache + isolation, or back out. */
    private int removeMapping(Task t) {
        int expected = 2;
        if (k.frames.refcount(pfn) != expected || k.frames.test(pfn, PageFlags.DIRTY)) {
            // folio_ref_freeze failed: someone (a GUP user) holds the page; keep it
            k.vm.count(Vmstat.RECLAIM_BACKOFF_PINNED, 1);
            return unlockAndPutBack(t, false);
        }
        k.frames.setRefcount(pfn, 0);
        k.filemap.deleteFromPageCache(pfn);
        k.pageLocks.unlockPage(pfn);
        k.frames.setRefcount(pfn, 1);
        k.refs.putPage(pfn); // free_unref_folios
        k.vm.count(Vmstat.PGSTEAL, 1);
        reclaimed++;
        resume(Step.ISOLATE);
        return t.next(k.cost(Cost.CPU_STEP));
    }

    private int unlockAndPutBack(Task t, boolean activate) {
        k.pageLocks.unlockPage(pfn);
        return putBack(t, activate);
    }

    /** {@code folio_putback_lru}. */
    private int putBack(Task t, boolean activate) {
        if (activate) {
            k.frames.set(pfn, PageFlags.ACTIVE);
        }
        k.lru.add(pfn);
        k.refs.putPage(pfn); // drop the isolation reference
        resume(Step.ISOLATE);
        return t.next(k.cost(Cost.CPU_STEP));
    }
}
