package org.pinlab.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProcStateTest {

    /** States numbered by their ordinals, the usual way. */
    private enum Lock implements Proc.State { TRYLOCK, SLEEP, LOCKED }

    /** States declared out of number order and with gaps, as older functions number them. */
    private enum Wait implements Proc.State {
        TEST_FLAG(0), SLEEP(10), RECHECK(2), RETURNED(99);

        /** Not the ordinal. */
        private final int pc;

        Wait(int pc) {
            this.pc = pc;
        }

        @Override
        public int pc() {
            return pc;
        }
    }

    /**
     * Takes one step at each state of {@code path}, then returns: by {@link Proc#resume}, or
     * with {@code raw} by writing the state's number, the way steps were written before they
     * had names.
     */
    private static Proc walk(String function, boolean raw, Proc.State... path) {
        return new Proc(function) {
            private int i;

            @Override
            protected int step(Task t) {
                if (i == path.length) {
                    return t.ret();
                }
                if (raw) {
                    pc = path[i].pc();
                } else {
                    resume(path[i]);
                }
                i++;
                return t.next(10);
            }
        };
    }

    /** Runs {@code p} alone; {@code seen} gets {@code function+pc} and {@code pc()} after each step. */
    private static Engine run(Proc p, List<String> seen) {
        Engine e = new Engine(5, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        e.addListener((task, proc, start, end) -> seen.add(proc + " pc " + proc.pc()));
        e.spawn("waiter", p, 0);
        e.run();
        return e;
    }

    @Test
    void aResumedStateIsItsOrdinalInPcAndBacktraces() {
        List<String> seen = new ArrayList<>();
        run(walk("mutex_lock", false, Lock.SLEEP, Lock.LOCKED), seen);
        assertEquals(List.of("mutex_lock+1 pc 1", "mutex_lock+2 pc 2", "mutex_lock+2 pc 2"), seen);
        assertEquals(List.of(0, 1, 2), List.of(Lock.TRYLOCK.pc(), Lock.SLEEP.pc(), Lock.LOCKED.pc()));
    }

    @Test
    void aResumedStateIsItsDeclaredNumberInPcAndBacktraces() {
        List<String> seen = new ArrayList<>();
        run(walk("wait_on_flag", false, Wait.SLEEP, Wait.RECHECK, Wait.RETURNED), seen);
        assertEquals(List.of("wait_on_flag+10 pc 10", "wait_on_flag+2 pc 2", "wait_on_flag+99 pc 99",
                "wait_on_flag+99 pc 99"), seen);
    }

    @Test
    void namingTheStatesKeepsTheTraceHashOfTheNumbers() {
        List<String> named = new ArrayList<>();
        List<String> numbered = new ArrayList<>();
        long hash = run(walk("wait_on_flag", false, Wait.SLEEP, Wait.RECHECK, Wait.RETURNED), named).traceHash();
        assertEquals(run(walk("wait_on_flag", true, Wait.SLEEP, Wait.RECHECK, Wait.RETURNED), numbered).traceHash(),
                hash);
        assertEquals(numbered, named);
    }

    @Test
    void theStepTableFindsEachStateByItsNumberAndLeavesGapsEmpty() {
        assertArrayEquals(Lock.values(), Proc.byPc(Lock.values()));
        Wait[] steps = Proc.byPc(Wait.values());
        assertEquals(100, steps.length);
        assertEquals(List.of(Wait.TEST_FLAG, Wait.RECHECK, Wait.SLEEP, Wait.RETURNED),
                List.of(steps[0], steps[2], steps[10], steps[99]));
        assertNull(steps[1]);
        assertNull(steps[98]);
    }

    private enum Clash implements Proc.State {
        LOCK, UNLOCK;

        @Override
        public int pc() {
            return 1;
        }
    }

    @Test
    void twoStatesSharingANumberAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Proc.byPc(Clash.values()));
        assertEquals("LOCK and UNLOCK share pc 1", e.getMessage());
    }
}
