package org.pinlab.allocator.internal;

/**
 * The free blocks of orders 0..5 inside one 64-frame word of a zone's free-frame map.
 * They are not stored: the allocator always merges free buddies, so a block is a free
 * block of exactly its order when all its frames are free and its buddy's are not.
 */
final class WordBlocks {

    /** Orders whose blocks and buddies lie inside one word; order 6 is the whole word. */
    static final int ORDERS = 6;

    /** For each order, a bit at the first frame of every left buddy (aligned to twice the order's size). */
    private static final long[] LEFT_BUDDIES = {
            0x5555_5555_5555_5555L,
            0x1111_1111_1111_1111L,
            0x0101_0101_0101_0101L,
            0x0001_0001_0001_0001L,
            0x0000_0001_0000_0001L,
            0x0000_0000_0000_0001L,
    };

    private WordBlocks() {
    }

    /**
     * From a bit at the first frame of every wholly free block of {@code order}, the same for
     * {@code order + 1}: a parent is wholly free when both its halves are.
     */
    static long wholeParents(long whole, int order) {
        return whole & (whole >>> (1 << order)) & LEFT_BUDDIES[order];
    }

    /** From the wholly free blocks of {@code order}, those whose buddy is not wholly free. */
    static long unmerged(long whole, int order) {
        int size = 1 << order;
        long left = LEFT_BUDDIES[order];
        long buddyWhole = ((whole >>> size) & left) | ((whole & left) << size);
        return whole & ~buddyWhole;
    }

    /** A bit at the first frame of every free block of exactly {@code order} (0..5), given the free frames. */
    static long freeBlocks(long freeFrames, int order) {
        long whole = freeFrames;
        for (int o = 0; o < order; o++) {
            whole = wholeParents(whole, o);
        }
        return unmerged(whole, order);
    }

    /** A mask of the frames of the block of {@code order} (0..5) starting at bit {@code pfn % 64}. */
    static long frames(long pfn, int order) {
        return ((1L << (1 << order)) - 1) << pfn;
    }
}
