package org.pinlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pinlab.testing.Occurrence.atLeast;
import static org.pinlab.testing.Occurrence.atMost;
import static org.pinlab.testing.Occurrence.exactly;
import static org.pinlab.testing.Occurrence.none;
import static org.pinlab.testing.Occurrence.onEverySeed;
import static org.pinlab.testing.Seeds.seed;
import static org.pinlab.testing.Seeds.seeds;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Seeds and Occurrence mean what they read as. */
class VocabularyTest {

    @Test
    void seedsAreAnInclusiveRange() {
        assertEquals(List.of(3L, 4L, 5L), seeds(3, 5).stream().boxed().toList());
        assertEquals(3, seeds(3, 5).count());
        assertEquals("3..5", seeds(3, 5).toString());
        assertEquals("7", seed(7).toString());
        assertEquals(seeds(7, 7), seed(7));
    }

    @Test
    void anOccurrenceCountsSeedsAndSaysWhichWayItMissed() {
        // miss(seen, runs): 0 met, above 0 too many seeds show the kind, below 0 too few
        assertEquals(0, atLeast(2).miss(2, 5));
        assertEquals(-1, atLeast(2).miss(1, 5));
        assertEquals(0, atMost(2).miss(0, 5));
        assertEquals(1, atMost(2).miss(3, 5));
        assertEquals(0, exactly(2).miss(2, 5));
        assertEquals(-2, exactly(2).miss(0, 5));
        assertEquals(3, none().miss(3, 5));
        assertEquals(0, onEverySeed().miss(5, 5));
        assertEquals(-1, onEverySeed().miss(4, 5));
        assertEquals("on at least 1 seed", atLeast(1).toString());
        assertEquals("on exactly 3 seeds", exactly(3).toString());
    }

    @Test
    void seedListsJoinConsecutiveSeeds() {
        assertEquals("1..3, 7, 9..10", Outcome.ranges(List.of(1L, 2L, 3L, 7L, 9L, 10L)));
        assertEquals("4", Outcome.ranges(List.of(4L)));
    }
}
