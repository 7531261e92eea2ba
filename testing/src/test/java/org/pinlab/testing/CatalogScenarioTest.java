package org.pinlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.finding.FindingKind.BUG;
import static org.pinlab.api.finding.FindingKind.DIRTY_WITHOUT_MKWRITE;
import static org.pinlab.api.finding.FindingKind.FSYNC_LIED;
import static org.pinlab.api.finding.FindingKind.LOST_WRITE;
import static org.pinlab.testing.Occurrence.atLeast;
import static org.pinlab.testing.Occurrence.atMost;
import static org.pinlab.testing.Occurrence.exactly;
import static org.pinlab.testing.Occurrence.onEverySeed;
import static org.pinlab.testing.Seeds.seed;
import static org.pinlab.testing.Seeds.seeds;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Scenario;

/**
 * The scenario API on the catalog's seed-001-rdma-ext4 over seeds 1..20, whose runs the
 * scenarios module records in trace-hashes.txt: legacy shows ext4's BUG on 13 seeds (all but 3,
 * 7, 8, 11, 13, 15, 16), with DIRTY_WITHOUT_MKWRITE and FSYNC_LIED on every seed; fixed is clean.
 */
class CatalogScenarioTest {

    private static final String SCENARIO = "seed-001-rdma-ext4";
    private static final String BUG_SEEDS = "1..2, 4..6, 9..10, 12, 14, 17..20";
    private static final String CLEAN_SEEDS = "3, 7..8, 11, 13, 15..16";

    private static Outcome legacy;
    private static Outcome fixed;

    @BeforeAll
    static void run() {
        ScenarioUnderTest s = Scenarios.catalog(SCENARIO);
        legacy = s.run("legacy", seeds(1, 20));
        fixed = s.run("fixed", seeds(1, 20));
    }

    @Test
    void legacyReleaseHitsTheExt4BugAndTheFixedCombinationRunsClean() {
        legacy.assertFindings(BUG, atLeast(1))
                .assertFindings(BUG, exactly(13))
                .assertFindings(FSYNC_LIED, onEverySeed())
                .assertNoFindings(LOST_WRITE)
                .assertExpectations();
        fixed.assertNoFindings(BUG)
                .assertNoFindings()
                .assertExpectations();
    }

    @Test
    void runAllHoldsEveryCombinationToItsExpectations() {
        Outcome all = Scenarios.catalog(SCENARIO).runAll(seeds(1, 3));
        assertEquals(List.of("legacy", "fixed"), all.combinations());
        all.assertFindings(LOST_WRITE, atMost(0)).assertExpectations();
        String message = assertThrows(AssertionFailedError.class, () -> all.assertNoFindings(BUG)).getMessage();
        assertTrue(message.startsWith("scenario seed-001-rdma-ext4, combination legacy, seeds 1..3: "), message);
        assertFalse(message.contains("combination fixed"), message);
    }

    @Test
    void aFindingThatMustNotShowFailsWithItsSeedsItsFirstFindingAndTheReplayCommand() {
        Finding bug = legacy.result("legacy", 1).findings().stream().filter(f -> f.kind() == BUG).findFirst()
                .orElseThrow();
        String message = assertThrows(AssertionFailedError.class, () -> legacy.assertNoFindings(BUG)).getMessage();
        assertEquals("scenario seed-001-rdma-ext4, combination legacy, seeds 1..20: expected BUG on no seed, saw it on"
                + " 13 seeds (" + BUG_SEEDS + ")\n"
                + "    failed on seeds: " + BUG_SEEDS + "\n"
                + "    first finding on seed 1: BUG: " + bug.message() + " [task " + bug.task() + " at " + bug.timeNs()
                + " ns]\n"
                + "    replay: pinlab:run -c legacy -s 1 seed-001-rdma-ext4", message);
        assertTrue(bug.message().contains("ext4"), bug.message());
    }

    @Test
    void aFindingThatMustShowOnEverySeedFailsOnTheSeedsThatLackIt() {
        String message = assertThrows(AssertionFailedError.class, () -> legacy.assertFindings(BUG, onEverySeed()))
                .getMessage();
        assertTrue(message.contains("expected BUG on every seed, saw it on 13 seeds"), message);
        assertTrue(message.contains("failed on seeds: " + CLEAN_SEEDS + "\n"), message);
        FindingKind firstOnSeed3 = legacy.result("legacy", 3).first().kind();
        assertTrue(message.contains("first finding on seed 3: " + firstOnSeed3 + ": "), message);
        assertTrue(message.endsWith("replay: pinlab:run -c legacy -s 3 seed-001-rdma-ext4"), message);
    }

    @Test
    void countsThatAreNotMetFailAndSayWhatWasAsked() {
        assertTrue(assertThrows(AssertionFailedError.class, () -> legacy.assertFindings(BUG, atMost(12))).getMessage()
                .contains("expected BUG on at most 12 seeds, saw it on 13 seeds"));
        assertTrue(assertThrows(AssertionFailedError.class, () -> legacy.assertFindings(BUG, exactly(14))).getMessage()
                .contains("failed on seeds: " + CLEAN_SEEDS));
        String none = assertThrows(AssertionFailedError.class, () -> fixed.assertFindings(BUG, atLeast(1)))
                .getMessage();
        assertTrue(none.contains("combination fixed, seeds 1..20: expected BUG on at least 1 seed, saw it on no seed\n"),
                none);
        assertTrue(none.contains("failed on seeds: 1..20\n    first finding on seed 1: none\n"), none);
        String more = assertThrows(AssertionFailedError.class, () -> legacy.assertFindings(FSYNC_LIED, atLeast(21)))
                .getMessage();
        assertTrue(more.contains("failed on seeds: 1..20"), more);
    }

    @Test
    void assertNoFindingsNamesEveryKindSeen() {
        String message = assertThrows(AssertionFailedError.class, () -> legacy.assertNoFindings()).getMessage();
        assertTrue(message.contains("expected no findings, saw BUG on 13 seeds, DIRTY_WITHOUT_MKWRITE on 20 seeds,"
                + " FSYNC_LIED on 20 seeds\n    failed on seeds: 1..20"), message);
    }

    @Test
    void anExpectationThatDoesNotHoldFailsWithTheScenariosOwnViolations() {
        Scenario s = Scenarios.catalog(SCENARIO).scenario();
        Scenario strict = new Scenario(s.name(), s.cites(), s.description(), s.source(), s.machine(), s.filesystems(),
                s.files(), s.processes(), s.programs(), s.devices(), s.events(), s.durationNs(), s.combinations(),
                Map.of("legacy", new Scenario.Expectation(Set.of(), Set.of(DIRTY_WITHOUT_MKWRITE, FSYNC_LIED)),
                        "fixed", new Scenario.Expectation(Set.of(LOST_WRITE), Set.of())),
                s.seeds());
        ScenarioUnderTest built = Scenarios.of(strict);
        String unexpected = assertThrows(AssertionFailedError.class,
                () -> built.run("legacy", seeds(1, 4)).assertExpectations()).getMessage();
        assertTrue(unexpected.contains("combination legacy, seeds 1..4: expect: does not hold (its expect: is stated"
                + " over seeds 1..20): unexpected BUG in 3 runs\n    failed on seeds: 1..2, 4\n"), unexpected);
        assertTrue(unexpected.endsWith("replay: pinlab:run -c legacy -s 1 seed-001-rdma-ext4"), unexpected);
        String missing = assertThrows(AssertionFailedError.class,
                () -> built.run("fixed", seeds(1, 20)).assertExpectations()).getMessage();
        assertTrue(missing.contains("combination fixed, seeds 1..20: expect: does not hold: expected LOST_WRITE in some"
                + " run, saw none\n    failed on seeds: 1..20\n"), missing);
    }

    @Test
    void aCombinationWithoutAnExpectationCannotPassAssertExpectations() {
        ScenarioUnderTest s = Scenarios.of(Scenarios.catalog(SCENARIO).scenario()
                .withCombination("tracked-only", Map.of("release", "tracked")));
        Outcome o = s.run("tracked-only", seed(1));
        String message = assertThrows(AssertionFailedError.class, o::assertExpectations).getMessage();
        assertEquals("scenario seed-001-rdma-ext4, combination tracked-only, seeds 1: the scenario has no expect: for"
                + " this combination; expect: covers legacy, fixed", message);
    }

    @Test
    void aCombinationBuiltInCodeTakesTheKernelsChoiceForTheFamiliesItLeavesOut() {
        Scenario s = Scenarios.catalog(SCENARIO).scenario().withCombination("just-legacy", Map.of("release", "legacy"));
        Outcome o = Scenarios.of(s).run("just-legacy", seed(1));
        assertEquals("write", o.scenario().combinations().get("just-legacy").get("writeback"));
        assertEquals(legacy.result("legacy", 1).traceHash(), o.result("just-legacy", 1).traceHash());
    }

    @Test
    void aCombinationBuiltInCodeThatNamesAMissingImplementationIsRefusedBeforeItRuns() {
        Scenario s = Scenarios.catalog(SCENARIO).scenario().withCombination("typo", Map.of("release", "trackd"));
        assertEquals("scenario seed-001-rdma-ext4, combination typo: no release named 'trackd'; available: bounce,"
                + " legacy, tracked", assertThrows(IllegalArgumentException.class, () -> Scenarios.of(s)).getMessage());
    }

    @Test
    void theAccessorsGiveEveryRunItsFindingsAndItsTraceHash() {
        assertEquals(20, legacy.results("legacy").size());
        assertEquals(legacy.results("legacy"), legacy.results());
        assertEquals(List.of(1L, 2L, 4L, 5L, 6L, 9L, 10L, 12L, 14L, 17L, 18L, 19L, 20L), legacy.seedsWith("legacy", BUG));
        List<Finding> bugs = legacy.findings(BUG);
        assertEquals(13, bugs.size());
        assertTrue(bugs.stream().allMatch(f -> f.kind() == BUG));
        RunResult first = legacy.result("legacy", 1);
        assertEquals(0x9ce1aa665f7e5543L, first.traceHash());
        assertEquals(6880, first.steps());
        assertTrue(first.stats().simulatedNs() > 0);
        assertEquals(first.traceHash(), legacy.traceHashes("legacy").get(1L));
        assertEquals("pinlab:run -c legacy -s 7 seed-001-rdma-ext4", legacy.replayCommand("legacy", 7));
        assertEquals(seeds(1, 20), legacy.seeds());
        assertEquals(SCENARIO, legacy.scenario().name());
    }

    @Test
    void askingForARunThatWasNotRunNamesWhatWas() {
        assertEquals("seed 21 was not run; seeds run: 1..20",
                assertThrows(IllegalArgumentException.class, () -> legacy.result("legacy", 21)).getMessage());
        assertEquals("combination 'fixed' was not run; run: legacy",
                assertThrows(IllegalArgumentException.class, () -> legacy.results("fixed")).getMessage());
    }
}
