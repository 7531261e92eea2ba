package org.pinlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.finding.FindingKind.BUG;
import static org.pinlab.api.finding.FindingKind.LOST_WRITE;
import static org.pinlab.testing.Occurrence.atLeast;
import static org.pinlab.testing.Occurrence.exactly;
import static org.pinlab.testing.Seeds.seed;
import static org.pinlab.testing.Seeds.seeds;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The scenario API on a bundle author's own file, src/test/resources/scenarios/author-rdma-ext4.yaml:
 * seed 001's race in 15 ms, where legacy GUP reaches ext4's BUG on seeds 1, 2, 4, 5 and 6.
 */
class YamlScenarioTest {

    private static final Path FILE = Path.of("src/test/resources/scenarios/author-rdma-ext4.yaml");

    @Test
    void anAuthorsScenarioFileRunsAndMeetsItsOwnExpectations() {
        ScenarioUnderTest s = Scenarios.load(FILE);
        assertEquals("author-rdma-ext4", s.scenario().name());
        s.run("legacy", seeds(1, 6))
                .assertFindings(BUG, atLeast(1))
                .assertFindings(BUG, exactly(5))
                .assertNoFindings(LOST_WRITE)
                .assertExpectations();
        s.run("fixed", seeds(1, 6)).assertNoFindings().assertExpectations();
        s.runAll(seeds(1, 6)).assertExpectations();
    }

    @Test
    void oneSeedIsOneRun() {
        Outcome o = Scenarios.load(FILE).run("legacy", seed(3)).assertNoFindings(BUG);
        assertEquals(1, o.results().size());
        assertEquals(3, o.results().get(0).seed());
    }

    @Test
    void aFailureOnAFileReplaysTheFileByItsAbsolutePath() {
        String message = assertThrows(AssertionFailedError.class,
                () -> Scenarios.load(FILE).run("legacy", seeds(1, 2)).assertNoFindings(BUG)).getMessage();
        assertTrue(message.startsWith("scenario author-rdma-ext4, combination legacy, seeds 1..2: expected BUG on no"
                + " seed, saw it on 2 seeds (1..2)\n"), message);
        assertTrue(message.endsWith("replay: pinlab:run -c legacy -s 1 " + FILE.toAbsolutePath().normalize()), message);
    }
}
