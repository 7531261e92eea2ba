package org.pinlab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeededRandomTest {

    @Test
    void splitMix64MatchesItsPublishedFirstOutputs() {
        // reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c)
        SeededRandom r = new SeededRandom(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
    }

    @Test
    void boundedDrawsStayInRangeAndCoverIt() {
        SeededRandom r = new SeededRandom(3);
        int[] hist = new int[7];
        for (int i = 0; i < 7_000; i++) {
            hist[r.nextInt(7)]++;
        }
        for (int h : hist) {
            assertTrue(h > 800 && h < 1200, "skewed histogram bucket " + h);
        }
        for (int i = 0; i < 1000; i++) {
            long v = r.between(-5, 5);
            assertTrue(v >= -5 && v <= 5);
        }
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
        assertThrows(IllegalArgumentException.class, () -> r.between(3, 2));
    }
}
