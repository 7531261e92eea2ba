package org.pinlab.allocator.internal;

import static org.pinlab.api.mm.MemoryLayout.MAX_ORDER;

import java.util.Objects;

import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PhysicalMemory;
import org.pinlab.api.mm.Zone;

/**
 * A binary buddy allocator over the zones of one machine, orders 0..{@value MemoryLayout#MAX_ORDER}.
 * Each zone has its own {@link BuddyZone}, so a block never spans zones and the caller
 * picks the zone (no fallback). Argument checks live here; the buddy logic in the zone.
 */
public final class BuddyAllocator implements PhysicalMemory {

    private final MemoryLayout layout;
    private final BuddyZone[] zones = new BuddyZone[Zone.values().length];

    /** A machine with every frame of the layout free, as after boot. */
    public BuddyAllocator(MemoryLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout");
        for (Zone zone : Zone.values()) {
            long start = layout.zoneStart(zone);
            BuddyZone buddy = new BuddyZone(start, start + layout.zoneFrames(zone));
            buddy.freeAll(); // memblock_free_all
            zones[zone.ordinal()] = buddy;
        }
    }

    @Override
    public MemoryLayout layout() {
        return layout;
    }

    /** {@code __alloc_pages} restricted to one zone's free lists: {@code rmqueue} -> {@code __rmqueue_smallest}. */
    @Override
    public long allocPages(Zone zone, int order) {
        checkOrder(order);
        return zone(zone).allocate(order);
    }

    /** {@code __free_pages} -> {@code __free_one_page}, after the checks {@code free_pages_prepare} would make. */
    @Override
    public void freePages(long pfn, int order) {
        checkOrder(order);
        checkPfn(pfn);
        long size = 1L << order;
        if ((pfn & (size - 1)) != 0) {
            throw new IllegalStateException("misaligned free of pfn " + pfn + " order " + order
                    + ": pfn is not a multiple of " + size);
        }
        BuddyZone buddy = zone(layout.zoneOf(pfn));
        if (pfn + size > buddy.end()) {
            throw new IllegalStateException("free of pfn " + pfn + " order " + order + " crosses the end of zone "
                    + layout.zoneOf(pfn) + " at pfn " + buddy.end() + ": no such block was allocated");
        }
        long alreadyFree = buddy.firstFreeFrame(pfn, order);
        if (alreadyFree >= 0) {
            throw new IllegalStateException("double free of pfn " + pfn + " order " + order
                    + ": frame " + alreadyFree + " is already free");
        }
        buddy.free(pfn, order);
    }

    /** {@code zone_page_state(zone, NR_FREE_PAGES)} */
    @Override
    public long freeFrames(Zone zone) {
        return zone(zone).freeFrames();
    }

    /** {@code is_free_buddy_page}: whether the frame lies inside a free block of any order. */
    @Override
    public boolean isFree(long pfn) {
        checkPfn(pfn);
        return zone(layout.zoneOf(pfn)).isFree(pfn);
    }

    /** Free blocks of exactly this order in a zone ({@code zone->free_area[order].nr_free}). */
    long nrFree(Zone zone, int order) {
        checkOrder(order);
        return zone(zone).nrFree(order);
    }

    @Override
    public long metadataBytes() {
        long bytes = 0;
        for (BuddyZone zone : zones) {
            bytes += zone.metadataBytes();
        }
        return bytes;
    }

    private BuddyZone zone(Zone zone) {
        return zones[Objects.requireNonNull(zone, "zone").ordinal()];
    }

    private static void checkOrder(int order) {
        if (order < 0 || order > MAX_ORDER) {
            throw new IllegalArgumentException("order must be 0.." + MAX_ORDER + ", was " + order);
        }
    }

    private void checkPfn(long pfn) {
        if (pfn < 0 || pfn >= layout.totalFrames()) {
            throw new IllegalArgumentException("pfn " + pfn + " is outside memory [0, " + layout.totalFrames() + ")");
        }
    }
}
