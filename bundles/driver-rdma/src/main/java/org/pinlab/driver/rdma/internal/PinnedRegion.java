package org.pinlab.driver.rdma.internal;

import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.DmaMaps;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.errno.Errno;

/**
 * A memory region whose pages are pinned for its whole registration ({@code ib_umem}): the
 * kind of long-term pin seed 001 and seed 002 are about. Each call of
 * {@code pin_user_pages_fast} is one {@link DmaMap}, at most a batch, fewer when the kernel
 * pins only part of it; {@link DmaMaps} finds the piece that holds a page.
 */
final class PinnedRegion extends MemoryRegion {

    private enum State { IDLE, PINNING, ACTIVE, DEREGISTERING, UNWINDING }

    private State state = State.IDLE;
    private DmaMaps maps;
    /** Whether the device wrote through each piece since it was pinned. */
    private java.util.BitSet wrote;
    /** Pages charged to RLIMIT_MEMLOCK and not yet uncharged. */
    private int charged;
    /** The map whose release is in flight, or -1. */
    private int releasing = -1;

    PinnedRegion(DeviceContext ctx, RdmaConfig config, UserBuffer buffer, int index) {
        super(ctx, config, buffer, index);
    }

    @Override
    boolean act() {
        if (state == State.IDLE) {
            return register();
        }
        if (expired()) {
            // ib_dereg_mr -> ib_umem_release -> unpin_user_pages_dirty_lock(make_dirty = umem->writable)
            state = State.DEREGISTERING;
            return releaseNext(config.writable()) || finishDeregistration();
        }
        access();
        return false;
    }

    /** {@code ib_umem_get}: charge RLIMIT_MEMLOCK for the whole region, then pin it batch by batch. */
    private boolean register() {
        chooseWindow();
        // ib_umem_get: atomic64_add_return(npages, &mm->pinned_vm) > rlimit(RLIMIT_MEMLOCK) -> -ENOMEM
        int refused = ctx.chargeLocked(buffer, pages);
        if (refused != 0) {
            ctx.returned("ibv_reg_mr", refused); // the application's registration fails
            ctx.log("ib_umem_get: ibv_reg_mr of " + describe() + " fails with " + Errno.describe(refused)
                    + ": locking " + pages + " pages would exceed RLIMIT_MEMLOCK; " + nextAttempt());
            registrationFailed();
            return false;
        }
        charged = pages;
        maps = new DmaMaps(first, pages);
        wrote = new java.util.BitSet();
        state = State.PINNING;
        pinNextBatch();
        return true;
    }

    /**
     * {@code pin_user_pages_fast(FOLL_LONGTERM | FOLL_WRITE)} for at most one batch, from
     * where the pins so far end ({@code cur_base += ret * PAGE_SIZE}). Departure: the model pins
     * through the slow path ({@code DeviceContext.pin}, not {@code pinFast}), as 4.4's
     * {@code ib_umem_get} did with {@code get_user_pages}. For a shared file mapping 6.12's
     * GUP-fast refuses a long-term writable pin ({@code gup_fast_folio_allowed}) and falls back
     * to that path anyway; for anonymous memory 6.12 would pin in the fast path, which the
     * model does not.
     */
    private void pinNextBatch() {
        ctx.pin(buffer, maps.nextFirst(), Math.min(config.batch(), maps.remaining()), config.writable(), true);
    }

    @Override
    boolean resume() {
        switch (state) {
            case PINNING:
                return pinned();
            case DEREGISTERING:
                maps.clear(releasing);
                return releaseNext(config.writable()) || finishDeregistration();
            case UNWINDING:
                maps.clear(releasing);
                if (releaseNext(false)) {
                    return true;
                }
                uncharge();
                registrationFailed();
                state = State.IDLE;
                return false;
            case ACTIVE:
                // a revoked map is gone: its pages leave mm->pinned_vm now
                ctx.chargeLocked(buffer, -maps.get(releasing).pages());
                charged -= maps.get(releasing).pages();
                maps.clear(releasing);
                releasing = -1;
                return false;
            default:
                throw new IllegalStateException("rdma: no operation in flight for " + describe());
        }
    }

    private boolean pinned() {
        DmaMap map = ctx.mapped();
        if (map == null) {
            ctx.returned("ibv_reg_mr", ctx.error());
            // ib_umem_get's umem_release path: __ib_umem_release(dirty = 0), then uncharge
            ctx.log("ib_umem_get: pin_user_pages_fast of pages [" + maps.nextFirst() + ", "
                    + (maps.nextFirst() + Math.min(maps.remaining(), config.batch())) + ") of " + describe()
                    + " failed with " + Errno.describe(ctx.error()) + "; releasing the " + maps.pinned()
                    + " pages pinned so far, ibv_reg_mr fails; " + nextAttempt());
            state = State.UNWINDING;
            if (releaseNext(false)) {
                return true;
            }
            uncharge();
            registrationFailed();
            state = State.IDLE;
            return false;
        }
        // ib_umem_get: ret pages pinned, maybe fewer than asked; npages -= ret, and loop
        maps.add(map);
        if (!maps.complete()) {
            pinNextBatch();
            return true;
        }
        state = State.ACTIVE;
        activate();
        return false;
    }

    /** A remote peer's RDMA READ or WRITE of one page: DMA through the pinned frame, no fault. */
    private void access() {
        int p = ctx.random().nextInt(pages);
        boolean write = config.drawWrite(ctx.random());
        int b = maps.pieceOf(p);
        DmaMap map = maps.get(b);
        if (map != null && !map.revoked()) { // a revoked map takes no more DMA
            if (write) {
                ctx.deviceWrite(map, maps.offsetIn(p));
                wrote.set(b);
            } else {
                ctx.deviceRead(map, maps.offsetIn(p));
            }
        }
        scheduleNextAccess();
    }

    /** Starts the release of the next map still held; false if none is left. */
    private boolean releaseNext(boolean dirty) {
        releasing = maps.firstHeld();
        if (releasing < 0) {
            return false;
        }
        ctx.release(maps.get(releasing), dirty);
        return true;
    }

    private boolean finishDeregistration() {
        uncharge(); // ib_umem_release: atomic64_sub(ib_umem_num_pages(umem), &mm->pinned_vm)
        state = State.IDLE;
        deregistered();
        return false;
    }

    private void uncharge() {
        if (charged > 0) {
            ctx.chargeLocked(buffer, -charged);
            charged = 0;
        }
    }

    @Override
    boolean releaseRevoked() {
        if (state != State.ACTIVE) {
            return false;
        }
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i) != null && maps.get(i).revoked()) {
                // model-only: a revocable MR gives the pages back, dirtying them only if it wrote
                releasing = i;
                ctx.release(maps.get(i), wrote.get(i));
                return true;
            }
        }
        return false;
    }

    @Override
    boolean holdsRevoked() {
        if (maps != null) {
            for (int i = 0; i < maps.size(); i++) {
                if (maps.get(i) != null && maps.get(i).revoked()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    boolean owns(DmaMap map) {
        return maps != null && maps.holds(map);
    }

    @Override
    boolean revoke(DmaMap map) {
        if (!config.revocable()) {
            // an ib_umem pin lasts until ibv_dereg_mr: the verbs API has no way to take an MR back
            ctx.log("cannot revoke " + map + " of " + describe()
                    + ": an RDMA memory region stays pinned until ibv_dereg_mr");
            return false;
        }
        ctx.log("revoke of " + map + " of " + describe() + ": DMA to it stops, releasing it");
        return true;
    }
}
