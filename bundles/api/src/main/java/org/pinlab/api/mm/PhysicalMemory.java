package org.pinlab.api.mm;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One machine's allocator state: which frames are free, in blocks of 2^order frames.
 * Single-threaded like the machine that owns it, and deterministic: the same sequence
 * of calls returns the same frames.
 */
@ConsumerType
public interface PhysicalMemory {

    /** Returned by {@link #allocPages} when no block of that order is free. */
    long NO_PAGE = -1;

    MemoryLayout layout();

    /**
     * Allocates a naturally aligned block of 2^order frames from a zone
     * ({@code __alloc_pages()} with the zone's free lists only: watermark policy and
     * reclaim are the caller's business).
     *
     * @return the first frame of the block, or {@link #NO_PAGE}
     * @throws IllegalArgumentException for an order outside 0..{@link MemoryLayout#MAX_ORDER}
     */
    long allocPages(Zone zone, int order);

    /**
     * Returns a block to the allocator ({@code __free_pages()}), merging it with its free
     * buddies.
     *
     * @throws IllegalStateException if the block, or part of it, is already free (a
     *                               double free), or is not aligned to its order
     */
    void freePages(long pfn, int order);

    /** Free frames in a zone ({@code zone_page_state(zone, NR_FREE_PAGES)}). */
    long freeFrames(Zone zone);

    /** Whether a frame is currently free (inside a free block). */
    boolean isFree(long pfn);

    /** A watermark of a zone, in frames. */
    default long watermark(Zone zone, Watermark mark) {
        MemoryLayout l = layout();
        int permille = switch (mark) {
            case MIN -> l.minPermille();
            case LOW -> l.lowPermille();
            case HIGH -> l.highPermille();
        };
        return l.zoneFrames(zone) * permille / 1000;
    }

    /**
     * Whether an allocation of 2^order frames would leave the zone at or above a watermark
     * ({@code zone_watermark_ok()}).
     */
    default boolean watermarkOk(Zone zone, int order, Watermark mark) {
        return freeFrames(zone) - (1L << order) >= watermark(zone, mark);
    }

    /** Bytes of allocator metadata, for the memory benchmarks. */
    long metadataBytes();
}
