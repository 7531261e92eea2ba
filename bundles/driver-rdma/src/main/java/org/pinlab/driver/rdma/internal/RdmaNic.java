package org.pinlab.driver.rdma.internal;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.Invalidation;
import org.pinlab.api.device.UserBuffer;

/**
 * One RDMA NIC: a memory region per buffer, each with its own timeline, run as one task
 * (model-only: the verbs application, the mlx5 driver and the HCA's DMA engine in one).
 * Every step the NIC first takes the outcome of the operation it started, then gives back a
 * revoked mapping if it has one, then lets the region that is due act, or sleeps until one is.
 */
final class RdmaNic implements Device {

    private final List<MemoryRegion> regions = new ArrayList<>();
    /** The region whose operation is in flight, or null. */
    private MemoryRegion awaiting;

    RdmaNic(DeviceContext ctx, RdmaConfig config) {
        for (UserBuffer b : ctx.buffers()) {
            regions.add(config.odp() ? new OdpRegion(ctx, config, b) : new PinnedRegion(ctx, config, b));
        }
    }

    @Override
    public boolean step(DeviceContext ctx) {
        if (awaiting != null) {
            MemoryRegion r = awaiting;
            awaiting = null;
            if (r.resume()) {
                awaiting = r;
            }
            return true;
        }
        MemoryRegion next = null;
        for (MemoryRegion r : regions) {
            if (r.releaseRevoked()) {
                awaiting = r;
                return true;
            }
            if (!r.done() && (next == null || r.dueAt < next.dueAt)) {
                next = r;
            }
        }
        if (next == null) {
            return false; // every region made its registrations or gave up
        }
        if (next.dueAt > ctx.now()) {
            ctx.sleep(next.dueAt - ctx.now()); // a revoke or a detach wakes the NIC early
            return true;
        }
        if (next.act()) {
            awaiting = next;
        }
        return true;
    }

    @Override
    public boolean revoke(DmaMap map) {
        for (MemoryRegion r : regions) {
            if (r.owns(map)) {
                return r.revoke(map);
            }
        }
        return false;
    }

    @Override
    public void invalidate(Invalidation invalidation) {
        for (MemoryRegion r : regions) {
            r.invalidate(invalidation);
        }
    }
}
