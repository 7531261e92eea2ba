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
    private final int pages;
    private final boolean write;
    private final boolean longterm;
    private boolean bounce;
    private PinRecord record;
    private int[] bounced;
    /** 0 once mapped, a negative errno if mapping failed. */
    public int error;

    public DmaMapping(Devices k, String owner, Mm mm, long startVpn, int pages, boolean write, boolean longterm) {
        this.k = k;
        this.owner = owner;
        this.mm = mm;
        this.startVpn = startVpn;
        this.pages = pages;
        this.write = write;
        this.longterm = longterm;
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

    /** Pins (or gets) the range through GUP, as the active release strategy says. */
    public Proc map() {
        ReleaseStrategy strategy = k.choices.release();
        int foll = strategy.grabFlags(write, longterm);
        bounce = strategy.bounceFileWrites();
        GetUserPages gup = GetUserPages.accounted(k.gup, mm, startVpn, pages, foll, owner);
        return new Proc("dma_map_user_range") {
            /** Pin through GUP, then take the record. */
            private enum Step implements Proc.State { PIN, PINNED }

            private static final Step[] STEPS = byPc(Step.values());

            @Override
            protected int step(Task t) {
                if (STEPS[pc] == Step.PIN) {
                    resume(Step.PINNED);
                    return t.call(gup);
                }
                record = gup.record();
                error = record != null ? 0 : gup.result;
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
     * (lock, {@code page_mkwrite} as {@code ->write_begin}, copy, {@code set_page_dirty}),
     * then every page is released as it was taken, dirtied first if {@code dirty}.
     */
    public Proc unmap(boolean dirty) {
        return new Proc("dma_unmap_user_range") {
            private int i;

            /** Per bounced page: lock it, wait if it must stay stable, copy in; then release the range. */
            private enum Step implements Proc.State { NEXT_BOUNCED, COPY_IN, RELOCK }

            private static final Step[] STEPS = byPc(Step.values());

            @Override
            protected int step(Task t) {
                switch (STEPS[pc]) {
                    case NEXT_BOUNCED:
                        while (bounced != null && i < pages && bounced[i] < 0) {
                            i++;
                        }
                        if (bounced == null || i == pages) {
                            release(dirty);
                            return t.ret();
                        }
                        resume(Step.COPY_IN);
                        return t.call(k.pageLocks.lockPage(pfn(i)));
                    case COPY_IN: {
                        int pfn = pfn(i);
                        Inode inode = k.filemap.fileOf(pfn);
                        if (inode != null && inode.mount.sb.stableWrites() && k.frames.test(pfn, PageFlags.WRITEBACK)) {
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
                    default:
                        throw new IllegalStateException("dma_unmap_user_range: bad pc " + pc);
                }
            }
        };
    }

    /** generic_perform_write for one page: write_begin, copy, write_end. */
    private void copyIn(Inode inode, int pfn, int index) {
        int b = bounced[index];
        if (inode != null) {
            if (inode.mount.sb.needsPageMkwrite() && inode.mount.sb.pageMkwrite(k.filemap.page(pfn)) != 0) {
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

    private void release(boolean dirty) {
        // bounced file pages were dirtied properly above; dirtying them again here would be
        // exactly the set_page_dirty behind the filesystem's back that bouncing avoids
        k.pins.accounting().release(record, dirty && !bounce);
        if (dirty && bounce) {
            for (int pfn : record.pfns()) {
                if (k.filemap.fileOf(pfn) == null) {
                    k.filemap.setPageDirty(pfn); // anonymous pages are written directly: dirty them
                }
            }
        }
        record = null;
    }
}
