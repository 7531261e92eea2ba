package org.pinlab.kernel.internal.fs.writeback;

import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.mm.Inodes;
import org.pinlab.kernel.internal.mm.backing.BdiWriteback;
import org.pinlab.kernel.internal.mm.writeback.PageWriteback;
import org.pinlab.kernel.internal.oracles.Oracles;
import org.pinlab.sim.Engine;

/**
 * fs/fs-writeback.c and fs/sync.c: the flusher ({@link Flusher}), {@code sync}
 * ({@link SyncAll}) and {@code fsync} ({@link Fsync}), each writing inodes back through
 * page-writeback's {@code write_cache_pages}.
 */
public final class FsWriteback {

    public final Engine engine;
    public final CostTable costs;
    public final Inodes inodes;
    public final Oracles oracles;
    public final BdiWriteback wb;
    public final PageWriteback writeback;

    public FsWriteback(Engine engine, CostTable costs, Inodes inodes, Oracles oracles, BdiWriteback
                       wb, PageWriteback writeback) {
        this.engine = engine;
        this.costs = costs;
        this.inodes = inodes;
        this.oracles = oracles;
        this.wb = wb;
        this.writeback = writeback;
    }

    /** What {@code c} costs in simulated time on this machine: the steps of this file's paths charge it. */
    public long cost(Cost c) {
        return costs.ns(c);
    }
}
