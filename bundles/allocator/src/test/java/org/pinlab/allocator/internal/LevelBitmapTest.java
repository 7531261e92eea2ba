package org.pinlab.allocator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LevelBitmapTest {

    @Test
    void firstFindsTheLowestSetBitThroughEverySummaryLevel() {
        LevelBitmap bits = new LevelBitmap(1L << 20); // three levels
        assertEquals(-1, bits.first());
        bits.set(1_000_000);
        bits.set(300_001);
        bits.set(300_000);
        assertEquals(300_000, bits.first());
        bits.clear(300_000);
        assertEquals(300_001, bits.first());
        bits.clear(300_001);
        assertEquals(1_000_000, bits.first());
        bits.clear(1_000_000);
        assertEquals(-1, bits.first());
    }

    @Test
    void clearingOneBitOfAWordKeepsTheOthersFindable() {
        LevelBitmap bits = new LevelBitmap(200);
        bits.set(130);
        bits.set(131);
        bits.clear(130);
        assertTrue(bits.get(131));
        assertFalse(bits.get(130));
        assertEquals(131, bits.first());
    }

    @Test
    void anEmptyBitmapHasNoFirstBit() {
        assertEquals(-1, new LevelBitmap(0).first());
    }
}
