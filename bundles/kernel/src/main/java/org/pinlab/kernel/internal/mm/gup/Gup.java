package org.pinlab.kernel.internal.mm.gup;

import org.pinlab.api.gup.FolioCounters;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.frames.FolioPins;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.memory.Memory;
import org.pinlab.kernel.internal.mm.migrate.Migrate;
import org.pinlab.kernel.internal.mm.pagealloc.PageAlloc;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.mm.truncate.Truncate;
import org.pinlab.kernel.internal.mm.vmscan.Vmscan;
import org.pinlab.kernel.internal.printk.Printk;
import org.pinlab.sim.Engine;

/**
 * mm/gup.c: the page-table walk and grab ({@link GetUserPages}, {@link GupFast}), and
 * what the pin tracker's release path tells the layers below when a folio's pins drop.
 */
public final class Gup {

    public final Engine engine;
    public final CostTable costs;
    public final Choices choices;
    public final FrameStore frames;
    public final VmCounters vm;
    public final FolioPins pins;
    public final Printk printk;
    public final PageAlloc pageAlloc;
    public final PageRefs refs;
    public final Filemap filemap;
    public final Migrate migrate;
    public final Memory memory;
    public final Vmscan vmscan;
    public final Truncate truncate;

    public Gup(Engine engine, CostTable costs, Choices choices, FrameStore frames, VmCounters vm,
               FolioPins pins, Printk printk, PageAlloc pageAlloc, PageRefs refs, Filemap filemap,
               Migrate migrate, Memory memory, Vmscan vmscan, Truncate truncate) {
        this.engine = engine;
        this.costs = costs;
        this.choices = choices;
        this.frames = frames;
        this.vm = vm;
        this.pins = pins;
        this.printk = printk;
        this.pageAlloc = pageAlloc;
        this.refs = refs;
        this.filemap = filemap;
        this.migrate = migrate;
        this.memory = memory;
        this.vmscan = vmscan;
        this.truncate = truncate;
    }

    /** What {@code c} costs in simulated time on this machine: the steps of this file's paths charge it. */
    public long cost(Cost c) {
        return costs.ns(c);
    }

    /** The folio counters a pin tracker works on: this machine's frames, through this layer. */
    public FolioCounters folioCounters() {
        return new FolioCountersView(this);
    }

    /** A folio's references or pins went down: deferred frees and isolated pages return, unpin waiters look again. */
    void pinsDropped(int head) {
        truncate.pinsDropped(head);
        vmscan.pinsDropped(head);
        if (!pins.unpinWait.isEmpty()) {
            pins.unpinWait.wakeAll();
        }
    }
}
