package org.pinlab.kernel.internal.frames;

import java.util.BitSet;

/**
 * {@code is_zone_device_page}: the frames of every DAX mount's pmem region, never freed,
 * never on the LRU. Kept beside the frame store rather than in it, as one bit a frame.
 */
public final class ZoneDevice {

    private final BitSet pmem = new BitSet();

    public boolean isPmem(int pfn) {
        return pmem.get(pfn);
    }

    public void add(int pfn) {
        pmem.set(pfn);
    }

    public void remove(int pfn) {
        pmem.clear(pfn);
    }
}
