package org.pinlab.allocator.internal;

/**
 * One order's free blocks in a zone ({@code struct free_area}): a bitmap to find the
 * lowest one and their count ({@code nr_free}). Below order 6 a bit stands for a
 * 64-frame word of the free-frame map that holds such a block; from order 6 up, for the
 * block itself.
 */
final class FreeArea {

    final LevelBitmap units;
    long nrFree;

    FreeArea(long units) {
        this.units = new LevelBitmap(units);
    }
}
