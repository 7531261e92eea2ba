package org.pinlab.allocator.internal;

import static org.pinlab.api.mm.MemoryLayout.MAX_ORDER;

import org.pinlab.api.mm.PhysicalMemory;

/**
 * The buddy allocator of one zone ({@code struct zone} with its {@code free_area[]}).
 * The state is one bit per frame (free or not) plus, per order, a {@link FreeArea}:
 * about 1.13 bits per frame, with no per-frame objects or list links. Free blocks of
 * orders 0..5 are read off the frame map ({@link WordBlocks}); from order 6 up each
 * free block has its own bit.
 */
final class BuddyZone {

    /** Order of a block that fills exactly one word of the free-frame map. */
    private static final int WORD_ORDER = WordBlocks.ORDERS;

    private final long start;
    private final long end;
    private final long firstWord;
    /** Bit per frame, set while the frame lies in a free block; frames outside the zone stay clear. */
    private final long[] freeMap;
    private final FreeArea[] freeArea = new FreeArea[MAX_ORDER + 1];
    private long freeFrames;

    /** An empty zone of frames [start, end): every frame allocated until {@link #freeAll()}. */
    BuddyZone(long start, long end) {
        this.start = start;
        this.end = end;
        this.firstWord = start >>> WORD_ORDER;
        this.freeMap = new long[(int) units(WORD_ORDER)];
        for (int order = 0; order <= MAX_ORDER; order++) {
            freeArea[order] = new FreeArea(units(Math.max(order, WORD_ORDER)));
        }
    }

    /** Blocks of 2^order frames (aligned by pfn) that overlap the zone. */
    private long units(int order) {
        return end > start ? ((end - 1) >>> order) - (start >>> order) + 1 : 0;
    }

    /**
     * Frees the whole zone in the largest aligned blocks that fit ({@code memblock_free_all},
     * as {@code __free_pages_memory} splits each range).
     */
    void freeAll() {
        for (long pfn = start; pfn < end; ) {
            int order = Math.min(MAX_ORDER, Long.numberOfTrailingZeros(pfn));
            while (pfn + (1L << order) > end) {
                order--;
            }
            free(pfn, order); // memblock_free_pages -> __free_pages_core
            pfn += 1L << order;
        }
    }

    long start() {
        return start;
    }

    long end() {
        return end;
    }

    long freeFrames() {
        return freeFrames;
    }

    long nrFree(int order) {
        return freeArea[order].nrFree;
    }

    boolean isFree(long pfn) {
        return (freeMap[word(pfn)] & (1L << pfn)) != 0;
    }

    /** Takes a block of 2^order frames, or returns {@link PhysicalMemory#NO_PAGE}. */
    long allocate(int order) {
        long pfn = rmqueueSmallest(order);
        if (pfn != PhysicalMemory.NO_PAGE) {
            freeFrames -= 1L << order; // __mod_zone_freepage_state
        }
        return pfn;
    }

    /** Returns an allocated block; the caller has checked alignment and that no frame of it is free. */
    void free(long pfn, int order) {
        freeOnePage(pfn, order);
        freeFrames += 1L << order; // __mod_zone_freepage_state
    }

    /** The first free frame of the block, or -1 when the whole block is allocated. */
    long firstFreeFrame(long pfn, int order) {
        if (order < WORD_ORDER) {
            long free = freeMap[word(pfn)] & WordBlocks.frames(pfn, order);
            return free == 0 ? -1 : (pfn & ~63L) + Long.numberOfTrailingZeros(free);
        }
        for (int w = word(pfn), last = w + (1 << (order - WORD_ORDER)); w < last; w++) {
            if (freeMap[w] != 0) {
                return ((firstWord + w) << WORD_ORDER) + Long.numberOfTrailingZeros(freeMap[w]);
            }
        }
        return -1;
    }

    /**
     * Smallest order first, lowest address within it ({@code __rmqueue_smallest}). The kernel
     * takes the head of a LIFO free list; the model takes the lowest-addressed block so the choice
     * depends only on which frames are free, never on the history of the lists.
     */
    private long rmqueueSmallest(int order) {
        for (int current = order; current <= MAX_ORDER; current++) {
            if (freeArea[current].nrFree == 0) {
                continue;
            }
            long pfn = lowestFreeBlock(current);
            delFromFreeList(pfn, current);
            expand(pfn, order, current);
            markFrames(pfn, order, false);
            return pfn;
        }
        return PhysicalMemory.NO_PAGE;
    }

    /** The lowest-addressed free block of an order that has one ({@code get_page_from_free_area}). */
    private long lowestFreeBlock(int order) {
        long unit = freeArea[order].units.first();
        if (order >= WORD_ORDER) {
            return ((start >>> order) + unit) << order;
        }
        long blocks = WordBlocks.freeBlocks(freeMap[(int) unit], order);
        return ((firstWord + unit) << WORD_ORDER) + Long.numberOfTrailingZeros(blocks);
    }

    /** Gives back the upper halves of a split block, keeping the lowest 2^low frames ({@code expand}). */
    private void expand(long pfn, int low, int high) {
        while (high > low) {
            high--;
            addToFreeList(pfn + (1L << high), high);
        }
    }

    /** Merges the block with its free buddies while they exist, then frees the result ({@code __free_one_page}). */
    private void freeOnePage(long pfn, int order) {
        long merged = pfn;
        int mergedOrder = order;
        while (mergedOrder < MAX_ORDER) {
            long buddy = merged ^ (1L << mergedOrder); // __find_buddy_pfn
            if (!pageIsBuddy(buddy, mergedOrder)) {
                break;
            }
            delFromFreeList(buddy, mergedOrder);
            merged &= buddy; // the merged block starts at the lower buddy
            mergedOrder++;
        }
        addToFreeList(merged, mergedOrder);
        markFrames(pfn, order, true); // only now: the buddy checks above must see this block as allocated
    }

    /** Whether a free block of exactly this order starts at buddy, in this zone ({@code page_is_buddy}). */
    private boolean pageIsBuddy(long buddy, int order) {
        if (buddy < start || buddy + (1L << order) > end) {
            return false; // never merge across a zone boundary
        }
        if (order >= WORD_ORDER) {
            return freeArea[order].units.get((buddy >>> order) - (start >>> order));
        }
        return (WordBlocks.freeBlocks(freeMap[word(buddy)], order) & (1L << buddy)) != 0;
    }

    /**
     * {@code __add_to_free_list}. Below order 6 there is nothing to do: those free areas are
     * derived from the frame map, which allocation and free change once, for their net effect.
     */
    private void addToFreeList(long pfn, int order) {
        if (order >= WORD_ORDER) {
            freeArea[order].units.set((pfn >>> order) - (start >>> order));
            freeArea[order].nrFree++;
        }
    }

    /** {@code del_page_from_free_list}; like {@link #addToFreeList}, only orders 6 and up keep a list. */
    private void delFromFreeList(long pfn, int order) {
        if (order >= WORD_ORDER) {
            freeArea[order].units.clear((pfn >>> order) - (start >>> order));
            freeArea[order].nrFree--;
        }
    }

    /** Sets or clears the block's frames in the frame map: the one net change of an allocation or a free. */
    private void markFrames(long pfn, int order, boolean free) {
        if (order < WORD_ORDER) {
            int w = word(pfn);
            long before = freeMap[w];
            long mask = WordBlocks.frames(pfn, order);
            long after = free ? before | mask : before & ~mask;
            freeMap[w] = after;
            recountWord(w, before, after);
            return;
        }
        long fill = free ? -1L : 0L;
        for (int w = word(pfn), last = w + (1 << (order - WORD_ORDER)); w < last; w++) {
            long before = freeMap[w];
            freeMap[w] = fill;
            recountWord(w, before, fill);
        }
    }

    /** Brings the free areas of orders 0..5 up to date with one changed word of the free-frame map. */
    private void recountWord(int w, long before, long after) {
        if ((before == 0 || before == -1L) && (after == 0 || after == -1L)) {
            return; // an empty or wholly free word holds no block below order 6
        }
        long wholeBefore = before;
        long wholeAfter = after;
        for (int order = 0; order < WORD_ORDER; order++) {
            long blocksBefore = WordBlocks.unmerged(wholeBefore, order);
            long blocksAfter = WordBlocks.unmerged(wholeAfter, order);
            if (blocksBefore != blocksAfter) {
                FreeArea area = freeArea[order];
                area.nrFree += Long.bitCount(blocksAfter) - Long.bitCount(blocksBefore);
                if (blocksAfter == 0) {
                    area.units.clear(w);
                } else if (blocksBefore == 0) {
                    area.units.set(w);
                }
            }
            wholeBefore = WordBlocks.wholeParents(wholeBefore, order);
            wholeAfter = WordBlocks.wholeParents(wholeAfter, order);
        }
    }

    private int word(long pfn) {
        return (int) ((pfn >>> WORD_ORDER) - firstWord);
    }

    long metadataBytes() {
        long bytes = (long) freeMap.length * Long.BYTES;
        for (FreeArea area : freeArea) {
            bytes += area.units.bytes() + Long.BYTES;
        }
        return bytes;
    }
}
