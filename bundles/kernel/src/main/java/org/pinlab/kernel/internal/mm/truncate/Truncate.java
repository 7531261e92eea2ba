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
        return deferredFrees.size();
    }

    /** Whether defer-free keeps the block of this (truncated) frame until its pins go. */
    public boolean blockFreeDeferred(int pfn) {
        for (DeferredFree d : deferredFrees) {
            if (d.pfn() == pfn) {
                return true;
            }
        }
        return false;
    }

    /** A folio's pins dropped: the blocks deferred on it go back to the filesystem once none is left. */
    public void pinsDropped(int head) {
        for (int i = deferredFrees.size() - 1; i >= 0; i--) {
            DeferredFree d = deferredFrees.get(i);
            if (d.pfn() == head && !pins.maybeDmaPinned(head)) {
                Inode inode = inodes.get(d.ino());
                inode.mount.sb.freeBlocks(inode.ino, d.index(), d.index() + 1);
                deferredFrees.remove(i);
            }
        }
    }
}
