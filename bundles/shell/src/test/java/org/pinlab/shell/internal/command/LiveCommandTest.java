package org.pinlab.shell.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** pinlab:live's words: options after the action, and a misspelt action or option named back. */
class LiveCommandTest {

    private static LiveCommand live(String action, String... rest) {
        LiveCommand c = new LiveCommand();
        c.action = action;
        c.rest = List.of(rest);
        return c;
    }

    @Test
    void optionsAfterTheActionAreReadAsOptionsAndTheScenarioAsTheScenario() {
        LiveCommand c = live("start", "-s", "7", "--combination", "fixed", "seed-001-rdma-ext4", "-w");
        c.parseRest();
        assertEquals(7, c.seed);
        assertEquals("fixed", c.combination);
        assertEquals("seed-001-rdma-ext4", c.scenario);
        assertEquals(true, c.allSwaps);
    }

    @Test
    void aMisspeltActionOrOptionOrAMissingValueIsRefusedWithTheNearestValidOne() {
        assertEquals("unknown action 'strat' (did you mean 'start'?); actions: start, stop, status",
                assertThrows(CommandException.class, () -> live("strat").execute()).getMessage());
        assertEquals("unknown option '--seeds' (did you mean '--seed'?); options: -s/--seed, -c/--combination, "
                + "-w/--swaps", assertThrows(CommandException.class, () -> live("start", "--seeds", "3").execute())
                .getMessage());
        assertEquals("-s must be a number; was 'x'",
                assertThrows(CommandException.class, () -> live("start", "-s", "x").execute()).getMessage());
        assertEquals("-c needs a combination",
                assertThrows(CommandException.class, () -> live("start", "-c").execute()).getMessage());
        assertEquals("live takes one scenario; got 'a' and 'b'",
                assertThrows(CommandException.class, () -> live("start", "a", "b").execute()).getMessage());
    }
}
