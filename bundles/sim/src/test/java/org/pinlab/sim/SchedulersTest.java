package org.pinlab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.Schedule;

class SchedulersTest {

    private static String interleaving(Scheduler s) {
        StringBuilder log = new StringBuilder();
        Engine e = new Engine(5, s, EngineConfig.DEFAULT);
        e.spawn("a", Procs.worker("a", 4, 10, log), 0);
        e.spawn("b", Procs.worker("b", 4, 10, log), 0);
        e.spawn("c", Procs.worker("c", 4, 10, log), 0);
        e.run();
        return log.toString();
    }

    @Test
    void randomExploresManyInterleavingsAndIsReproduciblePerSeed() {
        Set<String> seen = new HashSet<>();
        for (int seed = 0; seed < 50; seed++) {
            seen.add(interleaving(Schedulers.random(seed)));
        }
        assertTrue(seen.size() > 20, "only " + seen.size() + " distinct interleavings");
        assertEquals(interleaving(Schedulers.random(11)), interleaving(Schedulers.random(11)));
    }

    @Test
    void pctDepthOneKeepsOnePriorityOrderForTheWholeRun() {
        // depth 1: no change points, so every tie is won by the same fixed priority order
        Set<String> orders = new HashSet<>();
        for (int seed = 0; seed < 20; seed++) {
            String s = interleaving(Schedulers.pct(seed, 1, 12));
            String round = s.substring(0, 3);
            assertEquals(round.repeat(4), s, "PCT d=1 changed order mid-run");
            orders.add(round);
        }
        assertTrue(orders.size() > 1, "the priorities should differ between seeds: " + orders);
    }

    @Test
    void pctWithChangePointsPreemptsAndStaysDeterministic() {
        Set<String> seen = new HashSet<>();
        for (int seed = 0; seed < 40; seed++) {
            seen.add(interleaving(Schedulers.pct(seed, 3, 12)));
        }
        assertTrue(seen.size() > 3, "PCT d=3 produced only " + seen);
        assertEquals(interleaving(Schedulers.pct(9, 3, 12)), interleaving(Schedulers.pct(9, 3, 12)));
    }

    @Test
    void pctRejectsNonsenseParameters() {
        assertThrows(IllegalArgumentException.class, () -> Schedulers.pct(1, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedulers.pct(1, 2, 0));
    }

    @Test
    void replayOfAForeignScheduleSaysWhereItDiverged() {
        Scheduler replay = Schedulers.replay(Schedule.of(7, 7, 7), Schedulers.earliestFirst());
        ScheduleDivergedException e = assertThrows(ScheduleDivergedException.class, () -> interleaving(replay));
        assertTrue(e.getMessage().contains("decision 0: task 7 cannot run"), e.getMessage());
    }
}
