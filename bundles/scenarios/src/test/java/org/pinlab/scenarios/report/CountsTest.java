package org.pinlab.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CountsTest {

    @Test
    void oneTakesTheSingularAndEveryOtherCountThePlural() {
        assertEquals("1 scenario", Counts.of(1, "scenario"));
        assertEquals("0 scenarios", Counts.of(0, "scenario"));
        assertEquals("2 threads", Counts.of(2, "thread"));
        assertEquals("1 run", Counts.grouped(1, "run"));
        assertEquals("12,000 runs", Counts.grouped(12_000, "run"));
    }
}
