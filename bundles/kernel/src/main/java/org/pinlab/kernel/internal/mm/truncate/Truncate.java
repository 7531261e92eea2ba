package org.pinlab.kernel.internal.mm.truncate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.frames.FolioPins;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.fs.dax.Dax;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Inodes;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.rmap.Rmap;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.oracles.Oracles;
import org.pinlab.kernel.internal.workqueue.WorkStruct;
import org.pinlab.kernel.internal.workqueue.Workqueue;
import org.pinlab.sim.Engine;

/**
 * mm/truncate.c: truncate and hole punch ({@link TruncatePages}), and the blocks the
 * defer-free policy keeps from the filesystem until the frame that cached them is unpinned.
 */
public final class Truncate {

    public final Engine engine;
    public final CostTable costs;
    public final Choices choices;
    public final FrameStore frames;
    public final FolioPins pins;
    public final Oracles oracles;
    public final Inodes inodes;
    public final PageLocks pageLocks;
    public final PageRefs refs;
    public final Filemap filemap;
    public final Rmap rmap;
    public final Dax dax;

    public Truncate(Engine engine, CostTable costs, Choices choices, FrameStore frames, FolioPins
                    pins, Oracles oracles, Inodes inodes, PageLocks pageLocks, PageRefs refs,
                    Filemap filemap, Rmap rmap, Dax dax) {
        this.engine = engine;
        this.costs = costs;
        this.choices = choices;
        this.frames = frames;
        this.pins = pins;
        this.oracles = oracles;
        this.inodes = inodes;
        this.pageLocks = pageLocks;
        this.refs = refs;
        this.filemap = filemap;
        this.rmap = rmap;
        this.dax = dax;
    }

    /** What {@code c} costs in simulated time on this machine: the steps of this file's paths charge it. */
    public long cost(Cost c) {
        return costs.ns(c);
    }

    /** A block whose freeing waits for the frame that cached it to be unpinned. */
    private record DeferredFree(int ino, int index, int pfn) {
    }

    /** Blocks whose freeing waits for a page's pins to go (the defer-free truncate policy). */
    private final List<DeferredFree> deferredFrees = new ArrayList<>();
    /** Blocks whose pins went, waiting for the free work to run. */
    private final List<DeferredFree> readyToFree = new ArrayList<>();
    /** Where the frees run: the filesystem's block free may sleep, the unpin that allows it may not. */
    private Workqueue deferFreeQueue;
    private WorkStruct deferFreeWork;
    /** Asks the devices holding a frame to give it back (the revoke policy); none until wired. */
    private IntPredicate revoker = pfn -> false;

    /** Who truncate asks to revoke a pinned frame: the device layer, above this one. */
    public void revokeWith(IntPredicate revoker) {
        this.revoker = revoker;
    }

    /** Asks every device holding {@code pfn} to give it back; true if one will. */
    boolean revokePins(int pfn) {
        return revoker.test(pfn);
    }

    /** Frees {@code inode}'s block at {@code index} once the frame that cached it is unpinned. */
    void deferBlockFree(Inode inode, int index, int pfn) {
        deferredFrees.add(new DeferredFree(inode.ino, index, pfn));
    }

    /** Blocks kept back by defer-free: space the filesystem cannot use yet. */
    public int deferredBlockFrees() {
        return deferredFrees.size() + readyToFree.size();
    }

    /** Whether defer-free keeps the block of this (truncated) frame until its pins go. */
    public boolean blockFreeDeferred(int pfn) {
        for (List<DeferredFree> list : List.of(deferredFrees, readyToFree)) {
            for (DeferredFree d : list) {
                if (d.pfn() == pfn) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A folio's pins dropped: the blocks deferred on it go back to the filesystem once none is
     * left, from a work item. Model-only policy (nybble41, seed 002): the last unpin may come
     * from any context (a bio's end_io, an RDMA completion), while freeing blocks starts a
     * journal handle and may sleep, so the free is queued as the kernel queues such work
     * ({@code queue_work}, as ext4's end_io defers its extent conversion).
     */
    public void pinsDropped(int head) {
        boolean any = false;
        for (int i = deferredFrees.size() - 1; i >= 0; i--) {
            DeferredFree d = deferredFrees.get(i);
            if (d.pfn() == head && !pins.maybeDmaPinned(head)) {
                readyToFree.add(d);
                deferredFrees.remove(i);
                any = true;
            }
        }
        if (any) {
            if (deferFreeQueue == null) {
                deferFreeQueue = new Workqueue(engine, "defer-free");
                deferFreeWork = WorkStruct.ofStep("deferred_block_free", () -> {
                    int n = readyToFree.size();
                    for (DeferredFree d : readyToFree) {
                        Inode inode = inodes.get(d.ino());
                        inode.mount.sb.freeBlocks(inode.ino, d.index(), d.index() + 1);
                    }
                    readyToFree.clear();
                    return costs.ns(Cost.CPU_STEP) * n;
                });
            }
            deferFreeQueue.queueWork(deferFreeWork);
        }
    }
}
