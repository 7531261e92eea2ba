package org.pinlab.kernel.internal.mm.vmscan;

import java.util.ArrayDeque;

import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.frames.FolioPins;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.RunMetrics;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.backing.BdiWriteback;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.pagealloc.PageAlloc;
import org.pinlab.kernel.internal.mm.rmap.Rmap;
import org.pinlab.kernel.internal.mm.swap.Lru;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.oracles.Oracles;
import org.pinlab.sim.Engine;

/**
 * mm/vmscan.c: kswapd and direct reclaim over the LRU, and the pinned pages the
 * isolate-lru policy keeps off the LRU until their pins go ({@code folio_putback_lru}).
 */
public final class Vmscan {

    public final Engine engine;
    public final CostTable costs;
    public final Choices choices;
    public final FrameStore frames;
    public final VmCounters vm;
    public final FolioPins pins;
    public final RunMetrics metrics;
    public final Lru lru;
    public final PageLocks pageLocks;
    public final PageAlloc pageAlloc;
    public final PageRefs refs;
    public final Filemap filemap;
    public final Rmap rmap;
    public final BdiWriteback wb;
    public final Oracles oracles;

    public Vmscan(Engine engine, CostTable costs, Choices choices, FrameStore frames, VmCounters vm,
                  FolioPins pins, RunMetrics metrics, Lru lru, PageLocks pageLocks, PageAlloc
                  pageAlloc, PageRefs refs, Filemap filemap, Rmap rmap, BdiWriteback wb, Oracles oracles) {
        this.engine = engine;
        this.costs = costs;
        this.choices = choices;
        this.frames = frames;
        this.vm = vm;
        this.pins = pins;
        this.metrics = metrics;
        this.lru = lru;
        this.pageLocks = pageLocks;
        this.pageAlloc = pageAlloc;
        this.refs = refs;
        this.filemap = filemap;
        this.rmap = rmap;
        this.wb = wb;
        this.oracles = oracles;
    }

    /** What {@code c} costs in simulated time on this machine: the steps of this file's paths charge it. */
    public long cost(Cost c) {
        return costs.ns(c);
    }

    /** Pages the isolate-lru policy took off the LRU while pinned, in isolation order. */
    private final ArrayDeque<Integer> isolatedPinned = new ArrayDeque<>();

    /** Takes a pinned page off the LRU until it is unpinned (the page is already isolated). */
    void isolatePinned(int pfn) {
        isolatedPinned.addLast(pfn);
        vm.count(Vmstat.NR_ISOLATED_PINNED, 1);
    }

    /** A folio's pins dropped: if the isolate-lru policy holds it and no pin is left, it goes back. */
    public void pinsDropped(int head) {
        if (!isolatedPinned.isEmpty() && isolatedPinned.contains(head) && !pins.maybeDmaPinned(head)) {
            isolatedPinned.remove(head);
            vm.count(Vmstat.NR_ISOLATED_PINNED, -1);
            if (!frames.test(head, PageFlags.BUDDY)) {
                lru.add(head); // folio_putback_lru; a page freed meanwhile just leaves the list
            }
        }
    }
}
