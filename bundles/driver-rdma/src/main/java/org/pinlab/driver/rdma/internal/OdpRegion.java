package org.pinlab.driver.rdma.internal;

import java.util.Arrays;

import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.Invalidation;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.errno.Errno;

/**
 * An on-demand-paging memory region ({@code ib_umem_odp}): nothing is pinned and nothing is
 * charged to RLIMIT_MEMLOCK. The NIC keeps its own translation of each page, fills it on a
 * device page fault through {@code hmm_range_fault}, and drops it when the MMU interval
 * notifier says the CPU page table entry changes.
 */
final class OdpRegion extends MemoryRegion {

    /** hmm_range_fault retries before the page fault gives up (-EBUSY in the kernel, after a timeout). */
    static final int MAX_RETRIES = 8;

    private enum State { IDLE, ACTIVE, FAULTING }

    private State state = State.IDLE;
    /** The frame the NIC translates each window page to, or -1. */
    private int[] pfn;
    /** Whether the translation allows writes (the page was faulted for write). */
    private boolean[] writable;
    /** Whether the NIC wrote the frame since it was translated. */
    private boolean[] written;
    /** The interval notifier's sequence ({@code mmu_interval_set_seq}): bumped by every invalidation. */
    private long seq;
    private long faultSeq;
    private int faultPage;
    private boolean faultWrite;
    private int retries;

    OdpRegion(DeviceContext ctx, RdmaConfig config, UserBuffer buffer, int index) {
        super(ctx, config, buffer, index);
    }

    @Override
    boolean act() {
        if (state == State.IDLE) {
            // ib_umem_odp_get -> mmu_interval_notifier_insert; no pin, no RLIMIT_MEMLOCK charge
            chooseWindow();
            ctx.watch(buffer);
            pfn = new int[pages];
            Arrays.fill(pfn, -1);
            writable = new boolean[pages];
            written = new boolean[pages];
            state = State.ACTIVE;
            activate();
            return false;
        }
        if (expired()) {
            // ib_umem_odp_release -> ib_umem_odp_unmap_dma_pages: the translations go. Departs: the
            // notifier stays inserted and nothing is dirtied here (the SPI has no notifier removal
            // and no set_page_dirty outside an invalidation); pages the NIC wrote are still dirty
            // from their write fault, as any cleaning would have invalidated them first
            Arrays.fill(pfn, -1);
            state = State.IDLE;
            deregistered();
            return false;
        }
        int p = ctx.random().nextInt(pages);
        boolean write = config.drawWrite(ctx.random());
        if (pfn[p] >= 0 && (writable[p] || !write)) {
            use(p, write);
            scheduleNextAccess();
            return false;
        }
        retries = 0;
        startFault(p, write);
        return true;
    }

    /**
     * mlx5 page fault -> {@code ib_umem_odp_map_dma_and_lock}: {@code mmu_interval_read_begin},
     * then {@code hmm_range_fault} for the page.
     */
    private void startFault(int p, boolean write) {
        faultSeq = seq;
        faultPage = p;
        faultWrite = write;
        state = State.FAULTING;
        ctx.fault(buffer, first + p, write);
    }

    @Override
    boolean resume() {
        if (state != State.FAULTING) {
            throw new IllegalStateException("rdma: no fault in flight for " + describe());
        }
        state = State.ACTIVE;
        if (ctx.error() != 0) {
            ctx.log("mlx5_ib_page_fault: hmm_range_fault of page " + (first + faultPage) + " of " + describe()
                    + " failed with " + Errno.describe(ctx.error()) + "; the access is dropped");
            scheduleNextAccess();
            return false;
        }
        if (seq != faultSeq) {
            // mmu_interval_read_retry: an invalidation ran since read_begin; the frame may be stale
            if (++retries > MAX_RETRIES) {
                ctx.log("mlx5_ib_page_fault: page " + (first + faultPage) + " of " + describe()
                        + " invalidated " + MAX_RETRIES + " times while faulting; the access is dropped");
                scheduleNextAccess();
                return false;
            }
            startFault(faultPage, faultWrite);
            return true;
        }
        pfn[faultPage] = ctx.faulted();
        writable[faultPage] = faultWrite;
        written[faultPage] = false;
        use(faultPage, faultWrite);
        scheduleNextAccess();
        return false;
    }

    /** The remote access itself, through the NIC's translation. */
    private void use(int p, boolean write) {
        if (write) {
            ctx.deviceWriteFrame(pfn[p]);
            written[p] = true;
        }
        // a read needs no frame operation from the SPI: the translation was the point
    }

    /** mlx5_ib_invalidate_range -> ib_umem_odp_unmap_dma_pages for the pages in the window. */
    @Override
    void invalidate(Invalidation inv) {
        if (state == State.IDLE || !inv.buffer().equals(buffer)) {
            return;
        }
        int from = Math.max(inv.from() - first, 0);
        int to = Math.min(inv.to() - first, pages);
        if (from >= to) {
            return;
        }
        seq++; // mmu_interval_set_seq: a fault in flight must retry
        for (int p = from; p < to; p++) {
            if (pfn[p] >= 0 && written[p]) {
                // set_page_dirty; departs: the kernel dirties every page mapped writable, written or not
                inv.setPageDirty(pfn[p]);
            }
            pfn[p] = -1;
            writable[p] = false;
            written[p] = false;
        }
    }
}
