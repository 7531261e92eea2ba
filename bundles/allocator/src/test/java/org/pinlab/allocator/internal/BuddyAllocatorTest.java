package org.pinlab.allocator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.mm.MemoryLayout.MAX_ORDER;
import static org.pinlab.api.mm.PhysicalMemory.NO_PAGE;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.Watermark;
import org.pinlab.api.mm.Zone;

class BuddyAllocatorTest {

    private static MemoryLayout layout(long normal, long movable) {
        return new MemoryLayout(normal, movable, 10, 20, 30);
    }

    @Test
    void allocatingOneFrameSplitsTheMaxOrderBlockLeavingOneFreeBlockPerLowerOrder() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(1024));
        assertEquals(1, memory.nrFree(Zone.NORMAL, MAX_ORDER));

        assertEquals(0, memory.allocPages(Zone.NORMAL, 0));

        assertEquals(0, memory.nrFree(Zone.NORMAL, MAX_ORDER));
        for (int order = 0; order < MAX_ORDER; order++) {
            assertEquals(1, memory.nrFree(Zone.NORMAL, order), "free blocks of order " + order);
        }
        assertEquals(1023, memory.freeFrames(Zone.NORMAL));
    }

    @Test
    void splittingHandsOutTheLowerHalvesInAscendingOrder() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(1024));
        for (long expected = 0; expected < 1024; expected++) {
            assertEquals(expected, memory.allocPages(Zone.NORMAL, 0));
        }
    }

    @Test
    void freeingBothBuddiesMergesThemBackIntoTheParentOrder() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(1024));
        long first = memory.allocPages(Zone.NORMAL, 0);
        long second = memory.allocPages(Zone.NORMAL, 0);
        assertEquals(0, memory.nrFree(Zone.NORMAL, 0));

        memory.freePages(first, 0);
        assertEquals(1, memory.nrFree(Zone.NORMAL, 0), "a lone free frame whose buddy is still allocated");

        memory.freePages(second, 0);
        assertEquals(1, memory.nrFree(Zone.NORMAL, MAX_ORDER), "merged all the way back up");
        for (int order = 0; order < MAX_ORDER; order++) {
            assertEquals(0, memory.nrFree(Zone.NORMAL, order), "free blocks of order " + order);
        }
    }

    @Test
    void mergingStopsAtTheMaxOrder() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(4096));
        assertEquals(4, memory.nrFree(Zone.NORMAL, MAX_ORDER));
        long a = memory.allocPages(Zone.NORMAL, MAX_ORDER);
        long b = memory.allocPages(Zone.NORMAL, MAX_ORDER);
        memory.freePages(a, MAX_ORDER);
        memory.freePages(b, MAX_ORDER);
        assertEquals(4, memory.nrFree(Zone.NORMAL, MAX_ORDER));
    }

    @Test
    void theSmallestSufficientOrderWinsOverALowerAddress() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(2048));
        long[] quarters = new long[4];
        for (int i = 0; i < 4; i++) {
            quarters[i] = memory.allocPages(Zone.NORMAL, 9);
            assertEquals(512L * i, quarters[i]);
        }
        memory.freePages(quarters[3], 9);
        assertEquals(1536, memory.allocPages(Zone.NORMAL, 8)); // leaves an order-8 block free at 1792
        memory.freePages(quarters[0], 9); // an order-9 block free at 0: lower, but larger than needed

        assertEquals(1792, memory.allocPages(Zone.NORMAL, 8));
        assertEquals(0, memory.allocPages(Zone.NORMAL, 8));
    }

    @Test
    void theLowestAddressedBlockOfTheChosenOrderIsTaken() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(1024));
        List<Long> frames = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            frames.add(memory.allocPages(Zone.NORMAL, 0));
        }
        // free every other frame, highest first: a LIFO list would hand back 14 first
        for (int i = 14; i >= 0; i -= 2) {
            memory.freePages(frames.get(i), 0);
        }
        for (long expected = 0; expected < 16; expected += 2) {
            assertEquals(expected, memory.allocPages(Zone.NORMAL, 0));
        }
    }

    @Test
    void theSameCallsGiveTheSameFramesOnEveryMachine() {
        MemoryLayout layout = layout(3001, 1999);
        BuddyAllocator one = new BuddyAllocator(layout);
        BuddyAllocator other = new BuddyAllocator(layout);
        for (int i = 0; i < 200; i++) {
            Zone zone = i % 3 == 0 ? Zone.MOVABLE : Zone.NORMAL;
            int order = (i * 7) % 6;
            long pfn = one.allocPages(zone, order);
            assertEquals(pfn, other.allocPages(zone, order));
            if (i % 4 == 1 && pfn != NO_PAGE) {
                one.freePages(pfn, order);
                other.freePages(pfn, order);
            }
        }
    }

    @Test
    void everyReturnedBlockIsAlignedToItsOrder() {
        BuddyAllocator memory = new BuddyAllocator(layout(3001, 1999));
        for (Zone zone : Zone.values()) {
            for (int order = MAX_ORDER; order >= 0; order--) {
                for (long pfn = memory.allocPages(zone, order); pfn != NO_PAGE; pfn = memory.allocPages(zone, order)) {
                    assertEquals(0, pfn % (1L << order), "pfn " + pfn + " order " + order);
                }
            }
            assertEquals(0, memory.freeFrames(zone));
        }
    }

    @Test
    void anExhaustedZoneReturnsNoPage() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(1024));
        assertEquals(0, memory.allocPages(Zone.NORMAL, MAX_ORDER));
        assertEquals(NO_PAGE, memory.allocPages(Zone.NORMAL, 0));
        assertEquals(NO_PAGE, memory.allocPages(Zone.MOVABLE, 0), "a layout without ZONE_MOVABLE");
    }

    @Test
    void enoughFreeFramesButNoBlockLargeEnoughReturnsNoPage() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(1000));
        assertEquals(1000, memory.freeFrames(Zone.NORMAL));
        assertEquals(NO_PAGE, memory.allocPages(Zone.NORMAL, MAX_ORDER));
        assertEquals(0, memory.allocPages(Zone.NORMAL, 9));
    }

    @Test
    void aZoneOnlyHandsOutItsOwnFrames() {
        BuddyAllocator memory = new BuddyAllocator(layout(1000, 1000));
        for (int i = 0; i < 1000; i++) {
            long pfn = memory.allocPages(Zone.NORMAL, 0);
            assertTrue(pfn >= 0 && pfn < 1000, "NORMAL handed out pfn " + pfn);
        }
        assertEquals(NO_PAGE, memory.allocPages(Zone.NORMAL, 0), "no fallback into MOVABLE");
        assertEquals(1000, memory.freeFrames(Zone.MOVABLE));
        for (int i = 0; i < 1000; i++) {
            long pfn = memory.allocPages(Zone.MOVABLE, 0);
            assertTrue(pfn >= 1000 && pfn < 2000, "MOVABLE handed out pfn " + pfn);
        }
        assertEquals(NO_PAGE, memory.allocPages(Zone.MOVABLE, 0));
    }

    @Test
    void aBlockNeverSpansTheBoundaryBetweenZones() {
        // the order-10 block [1024, 2048) would straddle the boundary at 1536
        BuddyAllocator memory = new BuddyAllocator(layout(1536, 512));
        assertEquals(1, memory.nrFree(Zone.NORMAL, MAX_ORDER));
        assertEquals(1, memory.nrFree(Zone.NORMAL, 9));
        assertEquals(1, memory.nrFree(Zone.MOVABLE, 9));
        assertEquals(0, memory.allocPages(Zone.NORMAL, MAX_ORDER));
        assertEquals(NO_PAGE, memory.allocPages(Zone.NORMAL, MAX_ORDER));
        assertEquals(NO_PAGE, memory.allocPages(Zone.MOVABLE, MAX_ORDER));

        long normalHalf = memory.allocPages(Zone.NORMAL, 9);
        long movableHalf = memory.allocPages(Zone.MOVABLE, 9);
        assertEquals(1024, normalHalf);
        assertEquals(1536, movableHalf);
        memory.freePages(normalHalf, 9);
        memory.freePages(movableHalf, 9);
        assertEquals(1, memory.nrFree(Zone.NORMAL, 9), "the buddies stay apart: they are in different zones");
        assertEquals(1, memory.nrFree(Zone.MOVABLE, 9));
        assertEquals(0, memory.nrFree(Zone.NORMAL, MAX_ORDER));
    }

    @Test
    void aFreeBlockEndingAtTheZoneBoundaryIsNotMergedWithTheNextZone() {
        BuddyAllocator memory = new BuddyAllocator(layout(1001, 1000));
        assertTrue(memory.isFree(1000));
        long pfn = memory.allocPages(Zone.NORMAL, 0);
        assertEquals(1000, pfn, "the lone last frame of NORMAL is its only order-0 block");
        memory.freePages(pfn, 0);
        assertEquals(1, memory.nrFree(Zone.NORMAL, 0));
    }

    @Test
    void zoneSizesThatAreNotPowersOfTwoAreFullyUsable() {
        MemoryLayout layout = layout(3001, 1999);
        BuddyAllocator memory = new BuddyAllocator(layout);
        for (Zone zone : Zone.values()) {
            assertEquals(layout.zoneFrames(zone), memory.freeFrames(zone));
            assertEquals(layout.zoneFrames(zone), freeFramesByOrder(memory, zone), "the free blocks cover the zone");
            long[] blocksAtBoot = new long[MAX_ORDER + 1];
            for (int order = 0; order <= MAX_ORDER; order++) {
                blocksAtBoot[order] = memory.nrFree(zone, order);
            }

            List<Long> frames = new ArrayList<>();
            for (long pfn = memory.allocPages(zone, 0); pfn != NO_PAGE; pfn = memory.allocPages(zone, 0)) {
                frames.add(pfn);
            }
            assertEquals(layout.zoneFrames(zone), frames.size(), "every frame of " + zone + " allocatable");
            assertEquals(0, memory.freeFrames(zone));

            for (long pfn : frames) {
                memory.freePages(pfn, 0);
            }
            assertEquals(layout.zoneFrames(zone), memory.freeFrames(zone));
            assertEquals(layout.zoneFrames(zone), freeFramesByOrder(memory, zone));
            for (int order = 0; order <= MAX_ORDER; order++) {
                assertEquals(blocksAtBoot[order], memory.nrFree(zone, order), "free blocks of order " + order);
            }
        }
    }

    @Test
    void bootCoversAZoneWithTheLargestAlignedBlocksThatFit() {
        // MOVABLE is [1000, 4000): 8@1000, 16@1008, 1024@1024, 1024@2048, 512@3072, 256@3584, 128@3840, 32@3968
        BuddyAllocator memory = new BuddyAllocator(layout(1000, 3000));
        long[] expected = {0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 2};
        for (int order = 0; order <= MAX_ORDER; order++) {
            assertEquals(expected[order], memory.nrFree(Zone.MOVABLE, order), "free blocks of order " + order);
        }
    }

    @Test
    void aDoubleFreeIsRejectedNamingThePfn() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(1024));
        memory.allocPages(Zone.NORMAL, 2);
        long pfn = memory.allocPages(Zone.NORMAL, 2);
        memory.freePages(pfn, 2);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> memory.freePages(pfn, 2));
        assertTrue(e.getMessage().contains("pfn " + pfn), e.getMessage());
        assertTrue(e.getMessage().contains("order 2"), e.getMessage());
        assertEquals(1020, memory.freeFrames(Zone.NORMAL), "the rejected free changed nothing");
    }

    @Test
    void freeingABlockThatIsPartlyFreeIsADoubleFree() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(1024));
        assertEquals(0, memory.allocPages(Zone.NORMAL, 0));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> memory.freePages(0, 1));
        assertTrue(e.getMessage().contains("pfn 0"), e.getMessage());
        assertTrue(e.getMessage().contains("frame 1 is already free"), e.getMessage());

        IllegalStateException large = assertThrows(IllegalStateException.class, () -> memory.freePages(0, MAX_ORDER));
        assertTrue(large.getMessage().contains("frame 1 is already free"), large.getMessage());
        assertFalse(memory.isFree(0));
    }

    @Test
    void aMisalignedFreeIsRejectedNamingThePfn() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(1024));
        memory.allocPages(Zone.NORMAL, MAX_ORDER);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> memory.freePages(6, 2));
        assertTrue(e.getMessage().contains("pfn 6"), e.getMessage());
        assertTrue(e.getMessage().contains("order 2"), e.getMessage());
        assertEquals(0, memory.freeFrames(Zone.NORMAL));
    }

    @Test
    void freeingABlockThatCrossesTheEndOfItsZoneIsRejected() {
        BuddyAllocator memory = new BuddyAllocator(layout(1000, 1000));
        memory.allocPages(Zone.NORMAL, 8);
        memory.allocPages(Zone.NORMAL, 8);
        memory.allocPages(Zone.NORMAL, 8);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> memory.freePages(768, 8));
        assertTrue(e.getMessage().contains("pfn 768"), e.getMessage());
    }

    @Test
    void ordersAndPfnsOutsideTheMachineAreRejected() {
        BuddyAllocator memory = new BuddyAllocator(MemoryLayout.normalOnly(1024));
        assertThrows(IllegalArgumentException.class, () -> memory.allocPages(Zone.NORMAL, -1));
        assertThrows(IllegalArgumentException.class, () -> memory.allocPages(Zone.NORMAL, MAX_ORDER + 1));
        assertThrows(IllegalArgumentException.class, () -> memory.freePages(1024, 0));
        assertThrows(IllegalArgumentException.class, () -> memory.freePages(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> memory.isFree(1024));
    }

    @Test
    void isFreeIsTrueExactlyForFramesOutsideAllocatedBlocks() {
        BuddyAllocator memory = new BuddyAllocator(layout(1500, 700));
        boolean[] allocated = new boolean[2200];
        int[] orders = {3, 0, 5, 1, 10, 0, 2, 7};
        for (int i = 0; i < orders.length; i++) {
            Zone zone = i % 2 == 0 ? Zone.NORMAL : Zone.MOVABLE;
            long pfn = memory.allocPages(zone, orders[i]);
            if (pfn != NO_PAGE) {
                for (long f = pfn; f < pfn + (1L << orders[i]); f++) {
                    allocated[(int) f] = true;
                }
            }
        }
        for (int pfn = 0; pfn < allocated.length; pfn++) {
            assertEquals(!allocated[pfn], memory.isFree(pfn), "pfn " + pfn);
        }
    }

    @Test
    void watermarkOkComparesTheFreeFramesLeftAgainstTheZoneWatermark() {
        BuddyAllocator memory = new BuddyAllocator(new MemoryLayout(1000, 2000, 100, 200, 300));
        assertEquals(300, memory.watermark(Zone.NORMAL, Watermark.HIGH));
        assertEquals(600, memory.watermark(Zone.MOVABLE, Watermark.HIGH));
        for (int i = 0; i < 699; i++) {
            memory.allocPages(Zone.NORMAL, 0);
        }
        assertEquals(301, memory.freeFrames(Zone.NORMAL));

        assertTrue(memory.watermarkOk(Zone.NORMAL, 0, Watermark.HIGH), "300 left is still at the high mark");
        assertFalse(memory.watermarkOk(Zone.NORMAL, 1, Watermark.HIGH), "299 left is below it");
        assertTrue(memory.watermarkOk(Zone.NORMAL, 6, Watermark.LOW), "237 left is above the low mark of 200");
        assertFalse(memory.watermarkOk(Zone.NORMAL, 7, Watermark.LOW), "173 left is below it");
        assertTrue(memory.watermarkOk(Zone.NORMAL, 7, Watermark.MIN), "173 left is above the min mark of 100");
        assertFalse(memory.watermarkOk(Zone.NORMAL, 8, Watermark.MIN), "45 left is below it");
        assertTrue(memory.watermarkOk(Zone.MOVABLE, MAX_ORDER, Watermark.HIGH), "each zone has its own marks");
    }

    private static long freeFramesByOrder(BuddyAllocator memory, Zone zone) {
        long frames = 0;
        for (int order = 0; order <= MAX_ORDER; order++) {
            frames += memory.nrFree(zone, order) << order;
        }
        return frames;
    }
}
