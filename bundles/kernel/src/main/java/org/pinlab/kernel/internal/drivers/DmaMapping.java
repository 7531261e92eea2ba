package org.pinlab.kernel.internal.drivers;

import java.util.Arrays;

import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.mm.Zone;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.gup.GetUserPages;
import org.pinlab.kernel.internal.mm.gup.GupFast;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * A device's DMA mapping of a user range: what drivers use instead of calling GUP
 * themselves. The release strategy active at {@link #map} decides how the pages are
 * taken (FOLL_GET or FOLL_PIN) and whether device writes into file pages are bounced;
 * {@link #unmap} always gives them back the way they were taken, whatever is active then.
 */
public final class DmaMapping {

    private final Devices k;
    private final String owner;
    private final Mm mm;
    private final long startVpn;
    /** Pages asked for, then pages mapped: a short pin maps fewer. */
    private int pages;
    private final boolean write;
    private final boolean longterm;
    /** Whether {@link #map} walks the page table locklessly first ({@code pin_user_pages_fast}). */
    private final boolean fast;
    private boolean bounce;
    private PinRecord record;
    private int[] bounced;
    /** 0 once mapped, a negative errno if mapping failed. */
    public int error;

    public DmaMapping(Devices k, String owner, Mm mm, long startVpn, int pages, boolean write, boolean longterm) {
        this(k, owner, mm, startVpn, pages, write, longterm, false);
    }

    /** @param fast whether to pin through GUP-fast, falling back to the slow path where it must */
    public DmaMapping(Devices k, String owner, Mm mm, long startVpn, int pages, boolean write, boolean longterm,
                      boolean fast) {
        this.k = k;
        this.owner = owner;
        this.mm = mm;
        this.startVpn = startVpn;
        this.pages = pages;
        this.write = write;
        this.longterm = longterm;
        this.fast = fast;
    }

    public boolean mapped() {
        return record != null;
    }

    public PinRecord record() {
        return record;
    }

    public int pages() {
        return pages;
    }

    /** The frame behind page {@code i} of a mapped range. */
    public int pfn(int i) {
        return record.pfns()[i];
    }

    /**
     * Pins (or gets) the range through GUP, as the active release strategy says: the slow
     * path, or GUP-fast with its fallback if the mapping was made {@code fast}.
     */
    public Proc map() {
        ReleaseStrategy strategy = k.choices.release();
        int foll = strategy.grabFlags(write, longterm);
        bounce = strategy.bounceFileWrites();
        GetUserPages slow = fast ? null : GetUserPages.accounted(k.gup, mm, startVpn, pages, foll, owner);
        // pin_user_pages_fast / get_user_pages_fast -> gup_fast_fallback (mm/gup.c, v6.12)
        GupFast gupFast = fast ? new GupFast(k.gup, mm, startVpn, pages, foll, owner) : null;
        return new Proc("dma_map_user_range") {
            /** Pin through GUP, then take the record. */
            private enum Step implements Proc.State { PIN, PINNED }

            private static final Step[] STEPS = byPc(Step.values());

            @Override
            protected int step(Task t) {
                if (STEPS[pc] == Step.PIN) {
                    resume(Step.PINNED);
                    return t.call(fast ? gupFast : slow);
                }
                record = fast ? gupFast.record() : slow.record();
                error = record != null ? 0 : fast ? gupFast.result : slow.result;
                if (record != null) {
                    pages = record.pfns().length; // pin_user_pages returned how many it pinned
                }
                return t.ret();
            }
        };
    }

    /**
     * The device writes page {@code i} by DMA. Under a bouncing strategy a file page's
     * data lands in a kernel bounce page instead, and reaches the file at unmap.
     */
    public void deviceWrite(int i) {
        int pfn = pfn(i);
        if (bounce && k.filemap.fileOf(pfn) != null) {
            if (bounced == null) {
                bounced = new int[pages];
                Arrays.fill(bounced, -1);
            }
            if (bounced[i] < 0) {
                int b = k.pageAlloc.allocPage(Zone.NORMAL);
                if (b < 0) {
                    k.dmaWrite(pfn); // no memory for a bounce page: the write goes straight in
                    return;
                }
                bounced[i] = b;
                k.vm.count(Vmstat.NR_BOUNCE, 1);
            }
            k.frames.setToken(bounced[i], k.tokens.newToken());
            return;
        }
        k.dmaWrite(pfn);
    }

    /**
     * Releases the range: bounced data is copied into each file page through the write path
     * (lock, {@code ->write_begin}, copy, {@code set_page_dirty}),
     * then, if {@code dirty}, each folio not yet dirty is locked, marked dirty and unlocked,
     * and every page is released as it was taken.
     */
    public Proc unmap(boolean dirty) {
        return new Proc("dma_unmap_user_range") {
            private int i;
            /** The record entry whose folio is dirtied next. */
            private int f;

            /**
             * Per bounced page: lock it, wait if it must stay stable, copy in; then per folio to
             * dirty: lock it (waiting for its holder), mark it dirty, unlock; then release.
             */
            private enum Step implements Proc.State { NEXT_BOUNCED, COPY_IN, RELOCK, DIRTY_FOLIOS, FOLIO_LOCKED }

            private static final Step[] STEPS = byPc(Step.values());

            @Override
            protected int step(Task t) {
                switch (STEPS[pc]) {
                    case NEXT_BOUNCED:
                        while (bounced != null && i < pages && bounced[i] < 0) {
                            i++;
                        }
                        if (bounced == null || i == pages) {
                            resume(Step.DIRTY_FOLIOS);
                            return dirtyFolios(t);
                        }
                        resume(Step.COPY_IN);
                        return t.call(k.pageLocks.lockPage(pfn(i)));
                    case COPY_IN: {
                        int pfn = pfn(i);
                        Inode inode = k.filemap.fileOf(pfn);
                        if (inode != null && inode.mount.stableWrites() && k.frames.test(pfn, PageFlags.WRITEBACK)) {
                            k.pageLocks.unlockPage(pfn); // folio_wait_stable before changing the page
                            resume(Step.RELOCK);
                            return t.call(k.pageLocks.waitOnPageWriteback(pfn));
                        }
                        copyIn(inode, pfn, i);
                        k.pageLocks.unlockPage(pfn);
                        i++;
                        resume(Step.NEXT_BOUNCED);
                        return t.next(k.cost(Cost.PAGE_COPY));
                    }
                    case RELOCK:
                        resume(Step.COPY_IN);
                        return t.call(k.pageLocks.lockPage(pfn(i)));
                    case DIRTY_FOLIOS:
                        return dirtyFolios(t);
                    case FOLIO_LOCKED: {
                        int head = k.frames.compoundHead(record.pfns()[f]);
                        markDirtyAndUnlock(head);
                        f = nextFolio(record.pfns(), f, head);
                        resume(Step.DIRTY_FOLIOS);
                        return t.next(k.cost(Cost.CPU_STEP));
                    }
                    default:
                        throw new IllegalStateException("dma_unmap_user_range: bad pc " + pc);
                }
            }

            /**
             * unpin_user_pages_dirty_lock (mm/gup.c, v6.12), and for FOLL_GET records the older
             * loop of set_page_dirty_lock: folio by folio (gup_folio_range_next), if the folio
             * is not dirty, folio_lock, folio_mark_dirty, folio_unlock. An uncontended lock is
             * taken in this step; a held one parks the release until its holder unlocks (a
             * folio locked by writeback, by truncate, by a fault). Bounced file pages were
             * dirtied through the write path and are not dirtied again.
             * Departure: the kernel drops each folio's pins right after dirtying it
             * (gup_put_folio in the same loop); the model dirties every folio first and drops
             * all the pins after, in one step.
             */
            private int dirtyFolios(Task t) {
                int[] pfns = record.pfns();
                while (dirty && f < pfns.length) {
                    int head = k.frames.compoundHead(pfns[f]);
                    boolean bouncedFile = bounce && k.filemap.fileOf(pfns[f]) != null;
                    if (!bouncedFile && !k.frames.test(head, PageFlags.DIRTY)) {
                        if (!k.pageLocks.trylockPage(t, head)) {
                            resume(Step.FOLIO_LOCKED);
                            return t.call(k.pageLocks.lockPage(head)); // folio_lock: sleeps on the holder
                        }
                        markDirtyAndUnlock(head);
                    }
                    f = nextFolio(pfns, f, head);
                }
                k.pins.accounting().release(record, false); // then unpin_user_pages / put_page
                record = null;
                return t.ret();
            }
        };
    }

    /** folio_mark_dirty under the folio lock just taken, then folio_unlock. */
    private void markDirtyAndUnlock(int head) {
        k.filemap.setPageDirty(head);
        k.pageLocks.unlockPage(head);
    }

    /** The first entry after {@code from} that is not a page of the folio {@code head} (gup_folio_range_next). */
    private int nextFolio(int[] pfns, int from, int head) {
        int n = from + 1;
        while (n < pfns.length && k.frames.compoundHead(pfns[n]) == head) {
            n++;
        }
        return n;
    }

    /** generic_perform_write for one page: write_begin, copy, write_end. */
    private void copyIn(Inode inode, int pfn, int index) {
        int b = bounced[index];
        if (inode != null) {
            if (inode.mount.sb.writeBegin(k.filemap.page(pfn)) != 0) { // ->write_begin's filesystem part
                k.printk.warn(inode.mount.sb.typeName() + "_write_begin", "bounce copy-in refused for page "
                        + k.frames.index(pfn) + ": the device's data is dropped");
            } else {
                k.frames.set(pfn, PageFlags.MKWRITE_SEEN);
                long token = k.frames.token(b);
                k.frames.setToken(pfn, token);
                k.oracles.fileDataWritten(inode, k.frames.index(pfn), token);
                k.filemap.setPageDirty(pfn);
            }
        }
        k.vm.count(Vmstat.BOUNCE_COPY_BYTES, MemoryLayout.PAGE_SIZE);
        k.vm.count(Vmstat.NR_BOUNCE, -1);
        k.refs.putPage(b);
        bounced[index] = -1;
    }
}
