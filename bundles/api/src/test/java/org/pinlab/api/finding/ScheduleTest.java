package org.pinlab.api.finding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void textFormCompressesRepeatsAndParsesBack() {
        Schedule s = Schedule.of(3, 3, 3, 5, 3, 3, 0);
        assertEquals("3*3,5,3*2,0", s.toString());
        assertEquals(s, Schedule.parse(s.toString()));
        assertArrayEquals(new int[] {3, 3, 3, 5, 3, 3, 0}, Schedule.parse(" 3*3, 5,3*2 ,0").toArray());
    }

    @Test
    void emptyTextIsTheEmptySchedule() {
        assertEquals(0, Schedule.parse("  ").length());
        assertEquals("", Schedule.empty().toString());
    }

    @Test
    void badItemIsNamedWithItsPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.parse("1,2,x*3"));
        assertTrue(e.getMessage().contains("item 3 'x*3'"), e.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Schedule.parse("4*0"));
        assertTrue(zero.getMessage().contains("item 1"), zero.getMessage());
    }

    @Test
    void prefixKeepsTheFirstDecisions() {
        assertEquals(Schedule.of(1, 2), Schedule.of(1, 2, 3).prefix(2));
    }
}
