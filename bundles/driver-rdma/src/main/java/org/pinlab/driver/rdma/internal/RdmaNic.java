package org.pinlab.driver.rdma.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

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
 * Regions are taken in their order on ties, for both. A NIC may hold thousands of regions
 * (seed 000 registers one buffer 4096 times), so it keeps the regions still to act ordered by
 * when they are due, and the regions holding a revoked mapping in a set, rather than looking
 * at every region every step.
 */
final class RdmaNic implements Device {

    private final List<MemoryRegion> regions = new ArrayList<>();
    /** The regions that will act again, earliest due first, then in region order. */
    private final TreeSet<MemoryRegion> due;
    /** The regions (by index) the kernel revoked a mapping of that they may still hold. */
    private final BitSet revoked = new BitSet();
    /** The region whose operation is in flight, or null. */
    private MemoryRegion awaiting;

    RdmaNic(DeviceContext ctx, RdmaConfig config) {
        for (UserBuffer b : ctx.buffers()) {
            regions.add(config.odp() ? new OdpRegion(ctx, config, b, regions.size())
                    : new PinnedRegion(ctx, config, b, regions.size()));
        }
        due = new TreeSet<>(Comparator.<MemoryRegion>comparingLong(r -> r.dueAt).thenComparingInt(r -> r.index));
        due.addAll(regions);
    }

    @Override
    public boolean step(DeviceContext ctx) {
        if (awaiting != null) {
            MemoryRegion r = awaiting;
            awaiting = null;
            due.remove(r); // its due time may change: take it out while the key is the old one
            if (r.resume()) {
                awaiting = r;
            }
            requeue(r);
            return true;
        }
        for (int i = revoked.nextSetBit(0); i >= 0; i = revoked.nextSetBit(i + 1)) {
            MemoryRegion r = regions.get(i);
            if (r.releaseRevoked()) {
                awaiting = r;
                return true;
            }
            if (!r.holdsRevoked()) {
                revoked.clear(i);
            }
        }
        if (due.isEmpty()) {
            return false; // every region made its registrations or gave up
        }
        MemoryRegion next = due.first();
        if (next.dueAt > ctx.now()) {
            ctx.sleep(next.dueAt - ctx.now()); // a revoke or a detach wakes the NIC early
            return true;
        }
        due.remove(next);
        if (next.act()) {
            awaiting = next;
        }
        requeue(next);
        return true;
    }

    private void requeue(MemoryRegion r) {
        if (!r.done()) {
            due.add(r);
        }
    }

    @Override
    public boolean revoke(DmaMap map) {
        for (MemoryRegion r : regions) {
            if (r.owns(map)) {
                boolean agreed = r.revoke(map);
                if (agreed) {
                    revoked.set(r.index); // the kernel marks the map revoked when we agree
                }
                return agreed;
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
