package org.pinlab.kernel.internal.mm.truncate;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.mm.AddressSpace;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code truncate_setsize} + {@code truncate_pagecache}: the file shrinks to {@code newSize}
 * pages. {@code unmap_mapping_range} zaps every PTE beyond it, then
 * {@code truncate_inode_pages_range} locks each cached page, waits for its writeback,
 * drops its private data ({@code ->invalidate_folio}) and removes it from the page cache;
 * finally the filesystem frees the blocks. A page someone still holds a reference to (a
 * GUP user) leaves the page cache but not memory: its later writes go nowhere. On DAX the
 * page is the block: {@code xfs_break_layouts} / {@code ext4_break_layouts} first look for a
 * busy one ({@code dax_layout_busy_page_range}), and the truncate policy decides as it does
 * for a pinned page-cache page; a block freed under a device takes its later writes.
 */
public final class TruncatePages extends Proc {

    private final Truncate k;
    private final Inode inode;
    /** First page removed. */
    private final int newSize;
    /** End of the range (exclusive); for a truncate, the end of the file. */
    private int end;
    /** A hole punch leaves i_size alone. */
    private final boolean punch;
    private int oldSize;
    private int index;
    private int pfn;
    private boolean deferFree;
    /** 0, or -EBUSY when the truncate policy refused because of a pinned page. */
    public int result;

    public TruncatePages(Truncate k, Inode inode, int newSize) {
        this(k, inode, newSize, -1, false);
    }

    private TruncatePages(Truncate k, Inode inode, int from, int to, boolean punch) {
        super(punch ? "truncate_pagecache_range" : "truncate_pagecache");
        if (from < 0 || (punch && to <= from)) {
            throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
        }
        this.k = k;
        this.inode = inode;
        this.newSize = from;
        this.end = to;
        this.punch = punch;
    }

    /**
     * {@code fallocate(FALLOC_FL_PUNCH_HOLE)} -> {@code truncate_pagecache_range}: pages
     * [from, to) and their blocks go, the file keeps its size and reads zeroes there.
     */
    public static TruncatePages punchHole(Truncate k, Inode inode, int from, int to) {
        return new TruncatePages(k, inode, from, to, true);
    }

    /** {@code truncate_pagecache}: unmap, then one locked page after another, or the DAX step. */
    private enum Step implements Proc.State {
        UNMAP_MAPPING_RANGE, FIND_LOCK_ENTRY, WAIT_ON_WRITEBACK, TRUNCATE_FOLIO, DAX_TRUNCATED
    }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case UNMAP_MAPPING_RANGE: {
                if (inode.mount.dax()) {
                    // dax_layout_busy_page_range unmaps first: GUP must fault (and a fault finds the
                    // entry still there), and a page some GUP already holds shows as busy
                    unmapRange();
                }
                // pinned (on DAX: busy) pages first, so a refusal changes nothing (on DAX: but the PTEs)
                int pinned = firstPinned();
                if (pinned >= 0) {
                    TruncatePolicy.Action action = k.choices.truncate().onPinnedPage(k.filemap.page(pinned));
                    k.engine.mix(0x7C0L + action.ordinal());
                    switch (action) {
                        case FAIL:
                            result = Errno.EBUSY.negative(); // Gunthorpe: the caller gets -EBUSY, the file is untouched
                            return t.ret();
                        case REVOKE:
                            // Williams' revoke: ask every device holding a pinned page in the range
                            // to stop DMA and unpin, then wait as below for those that cannot
                            revokeRange();
                            return t.park(k.pins.unpinWait);
                        case WAIT:
                            // dax_layout_busy_page style (on DAX, xfs_break_dax_layouts ->
                            // ___wait_var_event(page_ref_count == 1)): sleep until unpinned, look again
                            return t.park(k.pins.unpinWait);
                        case DEFER_FREE:
                            deferFree = true;
                            break;
                        case PROCEED:
                        default:
                            break;
                    }
                }
                oldSize = inode.sizePages;
                if (!punch) {
                    end = Math.max(oldSize, inode.mapping.capacity());
                    inode.sizePages = Math.min(oldSize, newSize); // i_size_write first: new faults see EOF
                }
                unmapRange();
                if (inode.mount.dax()) {
                    return daxTruncate(t);
                }
                index = newSize;
                resume(Step.FIND_LOCK_ENTRY);
                return t.next(k.cost(Cost.CPU_STEP));
            }
            case FIND_LOCK_ENTRY: {
                int stop = Math.min(end, inode.mapping.capacity());
                while (index < stop && inode.mapping.lookup(index) == AddressSpace.NONE) {
                    index++;
                }
                if (index >= stop) {
                    // ->punch_hole / ext4_truncate: the blocks go back to the filesystem
                    freeBlocks();
                    k.oracles.fileRangeDropped(inode, newSize, blockEnd());
                    return t.ret();
                }
                pfn = inode.mapping.lookup(index);
                k.refs.getPage(pfn);
                resume(Step.WAIT_ON_WRITEBACK);
                return t.call(k.pageLocks.lockPage(pfn));
            }
            case WAIT_ON_WRITEBACK:
                resume(Step.TRUNCATE_FOLIO);
                return t.call(k.pageLocks.waitOnPageWriteback(pfn));
            case TRUNCATE_FOLIO:
                if (k.filemap.fileOf(pfn) == inode && k.frames.index(pfn) == index
                        && !k.frames.test(pfn, PageFlags.WRITEBACK)) {
                    k.rmap.tryToUnmap(pfn); // a fault may have mapped it again while we slept on its lock
                    if (k.frames.test(pfn, PageFlags.PRIVATE)) {
                        inode.mount.sb.invalidatePage(k.filemap.page(pfn));
                    }
                    if (deferFree && k.pins.maybeDmaPinned(pfn)) {
                        deferredPins.add(index);
                        deferredPfns.add(pfn);
                    }
                    k.filemap.deleteFromPageCache(pfn);
                    k.refs.putPage(pfn); // the page cache's reference
                } else if (k.frames.test(pfn, PageFlags.WRITEBACK)) {
                    k.pageLocks.unlockPage(pfn); // woken early by the hashed wait queue: look again
                    k.refs.putPage(pfn);
                    resume(Step.FIND_LOCK_ENTRY);
                    return t.next(0);
                }
                k.pageLocks.unlockPage(pfn);
                k.refs.putPage(pfn);
                index++;
                resume(Step.FIND_LOCK_ENTRY);
                return t.next(k.cost(Cost.CPU_STEP));
            case DAX_TRUNCATED:
                return t.ret(); // after the DAX step's cost
            default:
                throw new IllegalStateException("truncate_pagecache: bad pc " + pc);
        }
    }

    /** The first cached page at or beyond the new size that may be pinned (on DAX: is busy), or -1. */
    private int firstPinned() {
        for (int i = newSize; i < Math.min(end < 0 ? Integer.MAX_VALUE : end, inode.mapping.capacity()); i++) {
            int p = inode.mapping.lookup(i);
            if (p != AddressSpace.NONE && held(p)) {
                return p;
            }
        }
        return -1;
    }

    /** Asks the owners of every pinned (on DAX: busy) page in the range to give it back. */
    private void revokeRange() {
        for (int i = newSize; i < Math.min(end < 0 ? Integer.MAX_VALUE : end, inode.mapping.capacity()); i++) {
            int p = inode.mapping.lookup(i);
            if (p != AddressSpace.NONE && held(p)) {
                k.revokePins(p);
            }
        }
    }

    /**
     * What stops the truncate: for the page cache, {@code page_maybe_dma_pinned}; on DAX,
     * {@code dax_busy_page}, any reference beyond the mapping's (a FOLL_GET counts too).
     */
    private boolean held(int pfn) {
        return inode.mount.dax() ? k.dax.busy(pfn) : k.pins.maybeDmaPinned(pfn);
    }

    /**
     * {@code truncate_inode_pages_range} on a DAX mapping ({@code dax_delete_mapping_entry} for
     * each entry), then the blocks go, in one step: the kernel holds the invalidate lock
     * ({@code XFS_MMAPLOCK_EXCL}) throughout, so no fault maps an entry in between. The range
     * is unmapped already. A frame still busy here was let through by the policy: defer-free
     * keeps its block, proceed frees it under the device.
     */
    private int daxTruncate(Task t) {
        int stop = Math.min(end < 0 ? Integer.MAX_VALUE : end, inode.mapping.capacity());
        int removed = 0;
        for (int i = newSize; i < stop; i++) {
            int p = inode.mapping.lookup(i);
            if (p == AddressSpace.NONE) {
                continue;
            }
            if (k.dax.busy(p)) {
                if (deferFree) {
                    deferredPins.add(i);
                    deferredPfns.add(p);
                } else {
                    k.dax.freedWhileBusy(p);
                }
            }
            k.dax.deleteEntry(inode, i, p);
            removed++;
        }
        freeBlocks();
        k.oracles.fileRangeDropped(inode, newSize, blockEnd());
        resume(Step.DAX_TRUNCATED);
        return t.next(k.cost(Cost.CPU_STEP) * Math.max(1, removed));
    }

    /** Frees the blocks, keeping back those of pinned pages when the policy defers them. */
    private void freeBlocks() {
        int last = blockEnd();
        if (!deferFree) {
            inode.mount.sb.freeBlocks(inode.ino, newSize, last);
            return;
        }
        for (int i = newSize; i < last; i++) {
            if (!deferredPins.contains(i)) {
                inode.mount.sb.freeBlocks(inode.ino, i, i + 1);
            } else {
                k.deferBlockFree(inode, i, deferredPfns.get(deferredPins.indexOf(i)));
            }
        }
    }

    private final java.util.List<Integer> deferredPins = new java.util.ArrayList<>();
    private final java.util.List<Integer> deferredPfns = new java.util.ArrayList<>();

    /** The end of the block range to free: the punched range, or the old end of the file. */
    private int blockEnd() {
        return punch ? end : Math.max(oldSize, newSize);
    }

    /** {@code unmap_mapping_range} over the range. */
    private void unmapRange() {
        int stop = end < 0 ? Integer.MAX_VALUE : end;
        for (Vma v : inode.mapping.mappers) {
            for (int s = 0; s < v.pages; s++) {
                int index = v.fileIndex(v.startVpn + s);
                if (index >= newSize && index < stop && (v.pte[s] & Vma.PTE_PRESENT) != 0) {
                    k.rmap.zapPte(v, v.startVpn + s, v.pfn[s]);
                }
            }
        }
    }

}
