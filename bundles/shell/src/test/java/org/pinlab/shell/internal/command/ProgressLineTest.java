package org.pinlab.shell.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void aProgressLineSaysDoneOfTotalTheRateAndTheTimeLeftAtThatRate() {
        assertEquals("120 of 400 runs (30%), 40.0 runs/s, about 7 s left", ProgressLine.of(120, 400, "run", 3_000));
        assertEquals("0 of 1,000 schedules (0%)", ProgressLine.of(0, 1000, "schedule", 2_000));
        assertEquals("1 of 1 run (100%), 0.5 runs/s", ProgressLine.of(1, 1, "run", 2_000));
        assertEquals("10 of 5,000 runs (0%), 5.0 runs/s, about 16 min 38 s left",
                ProgressLine.of(10, 5000, "run", 2_000));
    }

    @Test
    void timeLeftIsWrittenAtTheScaleItHas() {
        assertEquals("59 s", ProgressLine.left(59));
        assertEquals("1 min", ProgressLine.left(60));
        assertEquals("2 h 5 min", ProgressLine.left(2 * 3600 + 5 * 60 + 7));
        assertEquals("1 h", ProgressLine.left(3600));
    }
}
