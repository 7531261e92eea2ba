package org.pinlab.allocator.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A bitmap with summary levels above it: each summary bit says whether a word of the
 * level below has any bit set, so the lowest set bit is found in one word per level
 * (three levels for 16M bits) instead of by scanning.
 */
final class LevelBitmap {

    /** levels[0] holds the bits; levels[i + 1] has one bit per non-zero word of levels[i]; the last has one word. */
    private final long[][] levels;

    LevelBitmap(long bits) {
        if (bits < 0 || bits > (long) Integer.MAX_VALUE * Long.SIZE) {
            throw new IllegalArgumentException("bitmap of " + bits + " bits");
        }
        List<long[]> built = new ArrayList<>();
        long width = bits;
        do {
            int words = (int) Math.max(1, (width + Long.SIZE - 1) >>> 6);
            built.add(new long[words]);
            width = words;
        } while (width > 1);
        levels = built.toArray(long[][]::new);
    }

    boolean get(long bit) {
        return (levels[0][(int) (bit >>> 6)] & (1L << bit)) != 0;
    }

    void set(long bit) {
        for (long[] level : levels) {
            int word = (int) (bit >>> 6);
            long before = level[word];
            level[word] = before | (1L << bit);
            if (before != 0) {
                return; // the summary above already knows this word is non-empty
            }
            bit = word;
        }
    }

    void clear(long bit) {
        for (long[] level : levels) {
            int word = (int) (bit >>> 6);
            long after = level[word] & ~(1L << bit);
            level[word] = after;
            if (after != 0) {
                return; // the word still has bits, so the summary bit above stays set
            }
            bit = word;
        }
    }

    /** The lowest set bit, or -1 if none is set. */
    long first() {
        long word = 0;
        for (int level = levels.length - 1; level >= 0; level--) {
            long bits = levels[level][(int) word];
            if (bits == 0) {
                return -1; // only the top level can be empty: lower ones are reached through set summary bits
            }
            word = (word << 6) + Long.numberOfTrailingZeros(bits);
        }
        return word;
    }

    long bytes() {
        long bytes = 0;
        for (long[] level : levels) {
            bytes += (long) level.length * Long.BYTES;
        }
        return bytes;
    }
}
