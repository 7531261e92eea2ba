package org.pinlab.allocator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.mm.MemoryLayout.MAX_ORDER;
import static org.pinlab.api.mm.PhysicalMemory.NO_PAGE;

import org.junit.jupiter.api.Test;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.Zone;

/** A 64 GiB machine: 16M frames. */
class BuddyAllocatorScaleTest {

    private static final long FRAMES = 1L << 24;

    @Test
    void sixteenMillionFramesNeedLessThanFourMebibytesOfMetadata() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(FRAMES));
        long bytes = memory.metadataBytes();
        assertTrue(bytes < 4L << 20, "metadata of " + bytes + " bytes");
        assertTrue(bytes >= FRAMES / 8, "at least the free-frame bitmap is counted, was " + bytes);
    }

    @Test
    void everyMaxOrderBlockOfSixteenMillionFramesCanBeAllocatedAndFreed() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(FRAMES));
        long blocks = FRAMES >> MAX_ORDER;
        for (long i = 0; i < blocks; i++) {
            assertEquals(i << MAX_ORDER, memory.allocPages(Zone.NORMAL, MAX_ORDER));
        }
        assertEquals(0, memory.freeFrames(Zone.NORMAL));
        assertEquals(NO_PAGE, memory.allocPages(Zone.NORMAL, 0));
        assertFalse(memory.isFree(FRAMES - 1));

        for (long i = blocks - 1; i >= 0; i--) {
            memory.freePages(i << MAX_ORDER, MAX_ORDER);
        }
        assertEquals(FRAMES, memory.freeFrames(Zone.NORMAL));
        assertEquals(blocks, memory.nrFree(Zone.NORMAL, MAX_ORDER));
        assertTrue(memory.isFree(FRAMES - 1));
    }

    @Test
    void orderZeroFramesComeFromTheBottomAndMergeBackAtSixteenMillionFrames() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(FRAMES));
        for (long pfn = 0; pfn < 100_000; pfn++) {
            assertEquals(pfn, memory.allocPages(Zone.NORMAL, 0));
        }
        for (long pfn = 0; pfn < 100_000; pfn++) {
            memory.freePages(pfn, 0);
        }
        assertEquals(FRAMES >> MAX_ORDER, memory.nrFree(Zone.NORMAL, MAX_ORDER));
    }
}
