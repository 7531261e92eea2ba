package org.pinlab.driver.gpu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.DmaMaps;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.errno.Errno;

/**
 * One GPU: {@code concurrent} job slots, each pinning a range of one of the device's buffers
 * as a userptr buffer object, touching its pages by DMA while the job runs, and releasing it
 * dirty when the job's fence signals. Each step first takes the outcome of the previous
 * step's pin or release, then does the DMA that is due, then starts at most one operation:
 * a revoked job's release, a finished job's release, the next job's pin, or a sleep until
 * the next of these is due.
 *
 * <p>Departure from the kernel: the driver thread and the GPU's engines are one task, so DMA
 * pauses while a pin or release is in flight; a real GPU keeps executing other jobs.
 */
public final class GpuDevice implements Device {

    private final DeviceContext context;
    private final GpuSettings settings;
    private final List<GpuJob> slots = new ArrayList<>();
    /** Maps revoked between the kernel making them and this device's step seeing them. */
    private final List<DmaMap> revokedUnseen = new ArrayList<>(1);
    /** The job whose pin or release the previous step started, or null. */
    private GpuJob inFlight;
    private long submitted;
    private long completed;
    private long revoked;
    private long failed;

    GpuDevice(DeviceContext context, GpuSettings settings) {
        this.context = context;
        this.settings = settings;
        for (int i = 0; i < settings.concurrent(); i++) {
            slots.add(new GpuJob());
        }
    }

    /** Jobs whose pin was started. */
    public long submittedJobs() {
        return submitted;
    }

    /** Jobs that ran to their end and were released. */
    public long completedJobs() {
        return completed;
    }

    /** Jobs cut short by a revoke and released early. */
    public long revokedJobs() {
        return revoked;
    }

    /** Jobs whose pin failed (the ioctl's -EFAULT or -ENOMEM). */
    public long failedJobs() {
        return failed;
    }

    @Override
    public boolean step(DeviceContext ctx) {
        if (ctx.buffers().isEmpty()) {
            ctx.log("no buffers to run jobs on");
            return false;
        }
        long now = ctx.now();
        finishOperation(ctx, now);
        for (GpuJob j : slots) {
            if (j.executing() && now >= j.nextAccess && now < j.endAt) {
                access(ctx, j, now);
            }
        }
        return startOperation(ctx, now);
    }

    /**
     * The outcome of the pin or release the previous step started. A pin that came back short
     * pins the rest next, and a release gives back the job's pieces one by one: either starts
     * this step's one operation.
     */
    private void finishOperation(DeviceContext ctx, long now) {
        GpuJob j = inFlight;
        if (j == null) {
            return;
        }
        inFlight = null;
        if (j.state == GpuJob.State.PINNING) {
            DmaMap map = ctx.mapped();
            if (map == null) {
                // the execbuf / CS ioctl fails with the pin's errno; the slot tries again after the gap
                failed++;
                ctx.returned("ioctl", ctx.error());
                ctx.log("userptr pin of " + j + " failed: " + Errno.describe(ctx.error())
                        + (j.maps.pinned() > 0 ? "; unpinning the " + j.maps.pinned() + " pages pinned so far" : ""));
                if (j.maps.pinned() > 0) {
                    // i915_gem_userptr_get_pages: "if (ret < 0) goto out" -> unpin_user_pages(pvec, pinned)
                    j.failing = true;
                    release(ctx, j);
                    return;
                }
                idle(j, now);
                return;
            }
            j.maps.add(map);
            j.revoked |= revokedUnseen.remove(map);
            if (!j.maps.complete()) {
                // i915_gem_userptr_get_pages (v6.12): while (pinned < num_pages) pinned += ret
                pinRest(ctx, j);
                return;
            }
            j.state = GpuJob.State.RUNNING;
            j.endAt = now + settings.jobLength();
            j.nextAccess = now;
            return;
        }
        j.maps.clear(j.releasing);
        if (j.maps.firstHeld() >= 0) {
            release(ctx, j);
            return;
        }
        if (!j.failing) { // a failed pin's job was counted when the pin failed
            if (j.revoked) {
                revoked++;
            } else {
                completed++;
            }
        }
        idle(j, now);
    }

    private void idle(GpuJob j, long now) {
        j.state = GpuJob.State.WAITING;
        j.maps = null;
        j.revoked = false;
        j.failing = false;
        j.startAt = now + settings.gap();
    }

    /**
     * The GPU's engines touch {@code burst} random pages of the job's range through its
     * GTT / GPUVM mapping: device DMA by physical address, no kernel function, no fault.
     */
    private void access(DeviceContext ctx, GpuJob j, long now) {
        RandomGenerator r = ctx.random();
        for (int b = 0; b < settings.burst(); b++) {
            int i = r.nextInt(j.maps.pages());
            DmaMap map = j.maps.get(j.maps.pieceOf(i));
            if (map.write() && r.nextDouble() < settings.writeFraction()) {
                ctx.deviceWrite(map, j.maps.offsetIn(i));
            } else {
                ctx.deviceRead(map, j.maps.offsetIn(i));
            }
        }
        j.nextAccess = now + settings.dmaInterval();
    }

    /** Starts at most one operation; false once every job is done. */
    private boolean startOperation(DeviceContext ctx, long now) {
        if (inFlight != null) {
            return true; // the previous outcome started the next piece's pin or release
        }
        for (GpuJob j : slots) {
            if (j.state == GpuJob.State.RUNNING && j.revoked) {
                release(ctx, j);
                return true;
            }
        }
        for (GpuJob j : slots) {
            if (j.state == GpuJob.State.RUNNING && now >= j.endAt) {
                // dma_fence_signal: the job is done, the driver drops the object's pages
                release(ctx, j);
                return true;
            }
        }
        boolean more = settings.jobs() == 0 || submitted < settings.jobs();
        long next = Long.MAX_VALUE;
        for (GpuJob j : slots) {
            if (j.state == GpuJob.State.WAITING && more) {
                if (now >= j.startAt) {
                    pin(ctx, j);
                    return true;
                }
                next = Math.min(next, j.startAt);
            } else if (j.state == GpuJob.State.RUNNING) {
                next = Math.min(next, Math.min(j.nextAccess, j.endAt));
            }
        }
        if (next == Long.MAX_VALUE) {
            return false; // no job running and none left to submit
        }
        if (next > now) {
            ctx.sleep(next - now); // a revoke wakes it early
        }
        return true;
    }

    /**
     * {@code i915_gem_userptr_get_pages} / {@code amdgpu_ttm_tt_get_user_pages}: the job's
     * range of a buffer is pinned for the job's lifetime ({@code pin_user_pages_fast}, or
     * {@code get_user_pages_fast} under the legacy release strategy).
     */
    private void pin(DeviceContext ctx, GpuJob j) {
        List<UserBuffer> buffers = ctx.buffers();
        j.number = submitted++;
        j.buffer = buffers.get((int) (j.number % buffers.size()));
        j.count = Math.min(settings.pages(), j.buffer.pages());
        j.first = ctx.random().nextInt(j.buffer.pages() - j.count + 1);
        j.state = GpuJob.State.PINNING;
        j.maps = new DmaMaps(j.first, j.count);
        pinRest(ctx, j);
    }

    /** {@code pin_user_pages_fast} of what the job's range still lacks. */
    private void pinRest(DeviceContext ctx, GpuJob j) {
        inFlight = j;
        ctx.pin(j.buffer, j.maps.nextFirst(), j.maps.remaining(), settings.writes(), settings.longterm());
    }

    /**
     * The job's fence has signalled (or the range was revoked): {@code i915_gem_userptr_put_pages}
     * / {@code amdgpu_ttm_tt_unpin_userptr} dirty every page of a writable object, whichever
     * pages the GPU actually wrote, and unpin ({@code unpin_user_pages_dirty_lock}, or
     * {@code set_page_dirty_lock} + {@code put_page} under legacy).
     */
    private void release(DeviceContext ctx, GpuJob j) {
        j.state = GpuJob.State.RELEASING;
        inFlight = j;
        j.releasing = j.maps.firstHeld();
        DmaMap map = j.maps.get(j.releasing);
        ctx.release(map, map.write() && !j.failing); // a failed pin unpins without dirtying
    }

    /**
     * {@code mmu_interval_notifier_ops->invalidate} as an HMM-mirroring driver answers it: the
     * GPU stops touching the range before this returns and gives it back at its next step.
     * A pinning-only driver has no such callback, so it refuses and the job runs to its end.
     * Departure: a real HMM driver pins nothing (it refaults with {@code hmm_range_fault});
     * here the job keeps its pin until this revoke, which is Williams' revoke() of seed 002.
     */
    @Override
    public boolean revoke(DmaMap map) {
        GpuJob j = null;
        for (GpuJob s : slots) {
            if (s.maps != null && s.maps.holds(map)) {
                j = s;
            }
        }
        String what = j != null ? j.toString() : "userptr " + map.buffer().name() + " [" + map.first() + ", "
                + (map.first() + map.pages()) + ")";
        if (!settings.revocable()) {
            context.log("cannot revoke " + what + ": the GPU pins without a notifier; it runs to its end");
            return false;
        }
        if (j == null) {
            revokedUnseen.add(map); // the pin completed but this device's step has not seen it yet
        } else if (j.state == GpuJob.State.RUNNING) {
            j.revoked = true;
        }
        context.log("revoked " + what + ": DMA stopped, releasing it, the job ends early");
        return true;
    }
}
