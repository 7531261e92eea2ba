package org.pinlab.allocator.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.mm.MemoryLayout.MAX_ORDER;
import static org.pinlab.api.mm.PhysicalMemory.NO_PAGE;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.Zone;

/**
 * Random alloc/free sequences checked against a reference that knows only which frames are
 * allocated: the free blocks must be the largest aligned all-free blocks of each zone, and
 * an allocation must take the lowest of the smallest order that fits.
 */
class BuddyAllocatorRandomizedTest {

    private record Block(long pfn, int order) {
        long end() {
            return pfn + (1L << order);
        }
    }

    @ParameterizedTest(name = "seed {0}, {1} + {2} frames")
    @CsvSource({"1, 3001, 1999", "2, 4096, 1000", "3, 1000, 4093", "42, 2500, 0", "20240607, 777, 3333"})
    void randomAllocsAndFreesMatchTheReferenceModel(long seed, long normal, long movable) {
        MemoryLayout layout = new MemoryLayout(normal, movable, 10, 20, 30);
        BuddyAllocator memory = new BuddyAllocator(layout);
        boolean[] allocated = new boolean[(int) layout.totalFrames()];
        List<Block> live = new ArrayList<>();
        List<Block> freed = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);

        for (int step = 0; step < 3000; step++) {
            int dice = random.nextInt(100);
            if (dice < 5 && !freed.isEmpty()) {
                Block stale = freed.get(random.nextInt(freed.size()));
                if (anyFree(allocated, stale)) {
                    assertThrows(IllegalStateException.class, () -> memory.freePages(stale.pfn(), stale.order()),
                            "double free of " + stale);
                }
            } else if (dice < 55 || live.isEmpty()) {
                Zone zone = random.nextInt(3) == 0 ? Zone.MOVABLE : Zone.NORMAL;
                int order = random.nextInt(4) == 0 ? random.nextInt(MAX_ORDER + 1) : random.nextInt(4);
                long expected = expectedAllocation(layout, allocated, zone, order);
                long pfn = memory.allocPages(zone, order);
                assertEquals(expected, pfn, "step " + step + ": allocPages(" + zone + ", " + order + ")");
                if (pfn != NO_PAGE) {
                    Block block = new Block(pfn, order);
                    for (long f = pfn; f < block.end(); f++) {
                        assertFalse(allocated[(int) f], "overlap at frame " + f);
                        assertEquals(zone, layout.zoneOf(f), "frame " + f + " handed out from the wrong zone");
                        allocated[(int) f] = true;
                    }
                    live.add(block);
                }
            } else {
                Block block = live.remove(random.nextInt(live.size()));
                memory.freePages(block.pfn(), block.order());
                for (long f = block.pfn(); f < block.end(); f++) {
                    allocated[(int) f] = false;
                }
                freed.add(block);
            }
            assertMatches(layout, allocated, memory, step);
        }

        for (Block block : live) {
            memory.freePages(block.pfn(), block.order());
            for (long f = block.pfn(); f < block.end(); f++) {
                allocated[(int) f] = false;
            }
        }
        assertMatches(layout, allocated, memory, -1);
        for (Zone zone : Zone.values()) {
            assertEquals(layout.zoneFrames(zone), memory.freeFrames(zone));
        }
    }

    private static boolean anyFree(boolean[] allocated, Block block) {
        for (long f = block.pfn(); f < block.end(); f++) {
            if (!allocated[(int) f]) {
                return true;
            }
        }
        return false;
    }

    private static void assertMatches(MemoryLayout layout, boolean[] allocated, BuddyAllocator memory, int step) {
        for (Zone zone : Zone.values()) {
            long allocatedFrames = 0;
            long[] nrFree = new long[MAX_ORDER + 1];
            for (Block block : freeBlocks(layout, allocated, zone)) {
                nrFree[block.order()]++;
            }
            long start = layout.zoneStart(zone);
            for (long f = start; f < start + layout.zoneFrames(zone); f++) {
                if (allocated[(int) f]) {
                    allocatedFrames++;
                }
            }
            assertEquals(layout.zoneFrames(zone) - allocatedFrames, memory.freeFrames(zone), "step " + step);
            long[] actual = new long[MAX_ORDER + 1];
            for (int order = 0; order <= MAX_ORDER; order++) {
                actual[order] = memory.nrFree(zone, order);
            }
            assertArrayEquals(nrFree, actual, "step " + step + ": free blocks per order in " + zone);
        }
        if (step % 50 == 0) {
            for (int f = 0; f < allocated.length; f++) {
                assertEquals(!allocated[f], memory.isFree(f), "step " + step + ": isFree(" + f + ")");
            }
        }
    }

    /** The smallest order >= the request that has a free block, lowest address first. */
    private static long expectedAllocation(MemoryLayout layout, boolean[] allocated, Zone zone, int order) {
        Block best = null;
        for (Block block : freeBlocks(layout, allocated, zone)) {
            if (block.order() >= order && (best == null || block.order() < best.order())) {
                best = block; // blocks come in address order, so the first of each order is the lowest
            }
        }
        return best == null ? NO_PAGE : best.pfn();
    }

    /** Each run of free frames, cut greedily into the largest aligned blocks that fit in the zone. */
    private static List<Block> freeBlocks(MemoryLayout layout, boolean[] allocated, Zone zone) {
        List<Block> blocks = new ArrayList<>();
        long start = layout.zoneStart(zone);
        long end = start + layout.zoneFrames(zone);
        long pfn = start;
        while (pfn < end) {
            if (allocated[(int) pfn]) {
                pfn++;
                continue;
            }
            int order = 0;
            while (order < MAX_ORDER && pfn % (2L << order) == 0 && allFree(allocated, pfn, order + 1, end)) {
                order++;
            }
            blocks.add(new Block(pfn, order));
            pfn += 1L << order;
        }
        assertTrue(blocks.stream().allMatch(b -> b.end() <= end));
        return blocks;
    }

    private static boolean allFree(boolean[] allocated, long pfn, int order, long end) {
        if (pfn + (1L << order) > end) {
            return false;
        }
        for (long f = pfn; f < pfn + (1L << order); f++) {
            if (allocated[(int) f]) {
                return false;
            }
        }
        return true;
    }
}
