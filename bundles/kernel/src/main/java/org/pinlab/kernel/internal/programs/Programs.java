package org.pinlab.kernel.internal.programs;

import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.drivers.Devices;
import org.pinlab.kernel.internal.frames.RunMetrics;
import org.pinlab.kernel.internal.fs.writeback.FsWriteback;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.gup.Gup;
import org.pinlab.kernel.internal.mm.memory.Memory;
import org.pinlab.kernel.internal.mm.mmap.Mmap;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.mm.truncate.Truncate;
import org.pinlab.sim.Engine;

/**
 * The user programs a workload runs ({@link UserPrograms}, {@link MixedWorkload}): loops of
 * system calls and memory accesses over the layers below, as a process would make them.
 */
public final class Programs {

    public final Engine engine;
    public final CostTable costs;
    public final RunMetrics metrics;
    public final PageLocks pageLocks;
    public final PageRefs refs;
    public final Filemap filemap;
    public final Mmap mmap;
    public final Memory memory;
    public final Truncate truncate;
    public final FsWriteback fsWriteback;
    public final Gup gup;
    public final Devices devices;

    public Programs(Engine engine, CostTable costs, RunMetrics metrics, PageLocks pageLocks,
                    PageRefs refs, Filemap filemap, Mmap mmap, Memory memory, Truncate truncate,
                    FsWriteback fsWriteback, Gup gup, Devices devices) {
        this.engine = engine;
        this.costs = costs;
        this.metrics = metrics;
        this.pageLocks = pageLocks;
        this.refs = refs;
        this.filemap = filemap;
        this.mmap = mmap;
        this.memory = memory;
        this.truncate = truncate;
        this.fsWriteback = fsWriteback;
        this.gup = gup;
        this.devices = devices;
    }

    /** What {@code c} costs in simulated time on this machine: the steps of this file's paths charge it. */
    public long cost(Cost c) {
        return costs.ns(c);
    }

    /** Set by a clean shutdown: workload loops exit at their next loop head, holding nothing. */
    boolean shuttingDown;

    /** Asks every workload loop to exit at its next loop head (processes exiting before sync). */
    public void beginShutdown() {
        shuttingDown = true;
    }
}
