package org.pinlab.kernel.internal.mm.memory;

import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.frames.ContentTokens;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.fs.dax.Dax;
import org.pinlab.kernel.internal.locking.LockClass;
import org.pinlab.kernel.internal.locking.LockValidator;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.pagealloc.PageAlloc;
import org.pinlab.kernel.internal.mm.rmap.Rmap;
import org.pinlab.kernel.internal.mm.swap.Lru;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.mm.vmscan.Vmscan;
import org.pinlab.kernel.internal.oracles.Oracles;
import org.pinlab.sim.Engine;

/**
 * mm/memory.c and arch/x86/mm/fault.c: page faults ({@link HandleMmFault}, with
 * {@code page_mkwrite}) and user loads and stores ({@link UserAccess}).
 */
public final class Memory {

    public final Engine engine;
    public final CostTable costs;
    public final FrameStore frames;
    public final VmCounters vm;
    public final ContentTokens tokens;
    public final Oracles oracles;
    public final LockValidator lockdep;
    public final LockClass mmapLockClass;
    public final PageLocks pageLocks;
    public final Lru lru;
    public final PageAlloc pageAlloc;
    public final PageRefs refs;
    public final Filemap filemap;
    public final Rmap rmap;
    public final Dax dax;
    public final Vmscan vmscan;

    public Memory(Engine engine, CostTable costs, FrameStore frames, VmCounters vm, ContentTokens
                  tokens, Oracles oracles, LockValidator lockdep, LockClass mmapLockClass, PageLocks
                  pageLocks, Lru lru, PageAlloc pageAlloc, PageRefs refs, Filemap filemap, Rmap
                  rmap, Dax dax, Vmscan vmscan) {
        this.engine = engine;
        this.costs = costs;
        this.frames = frames;
        this.vm = vm;
        this.tokens = tokens;
        this.oracles = oracles;
        this.lockdep = lockdep;
        this.mmapLockClass = mmapLockClass;
        this.pageLocks = pageLocks;
        this.lru = lru;
        this.pageAlloc = pageAlloc;
        this.refs = refs;
        this.filemap = filemap;
        this.rmap = rmap;
        this.dax = dax;
        this.vmscan = vmscan;
    }

    /** What {@code c} costs in simulated time on this machine: the steps of this file's paths charge it. */
    public long cost(Cost c) {
        return costs.ns(c);
    }
}
