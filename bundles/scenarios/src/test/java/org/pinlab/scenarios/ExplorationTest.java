package org.pinlab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.lab.Implementations;

/** Exploration finds the seed 001 BUG, shrinks it, and the replay is exact; the matrix ignores thread counts. */
class ExplorationTest {

    private final Implementations impls = TestImplementations.all();
    private final Scenario gpu = new ScenarioLoader(impls).load("catalog:gpu-memory-pressure",
            Catalog.yaml("gpu-memory-pressure"));

    @Test
    void randomExplorationFindsTheBugShrinksItAndTheReplayIsExact() {
        Explorer x = new Explorer(impls);
        Explorer.Outcome o = x.explore(gpu, "legacy",
                Explorer.Options.random().maxSchedules(50).target(FindingKind.BUG).build());
        assertNotNull(o.failing(), "no BUG in 50 random schedules");
        assertNotNull(o.shrunk());
        assertTrue(o.preemptionsAfter() <= o.preemptionsBefore(), o.preemptionsAfter() + " > " + o.preemptionsBefore());
        assertTrue(o.shrunk().counts().containsKey(FindingKind.BUG), o.shrunk().findings().toString());
        assertTrue(o.replayCommand().startsWith("pinlab:replay gpu-memory-pressure legacy " + o.shrunk().seed()),
                o.replayCommand());

        RunResult again = x.replay(gpu, "legacy", o.shrunk().seed(), o.shrunk().schedule());
        assertEquals(o.shrunk().traceHash(), again.traceHash());
        assertEquals(o.shrunk().first().message(), again.first().message());
        assertEquals(o.shrunk().first().backtrace(), again.first().backtrace());

        // the command users get carries only the preemptions; it replays the same trace
        RunResult sparse = x.replayPreemptions(gpu, "legacy", o.shrunk().seed(), o.preemptions());
        assertEquals(o.shrunk().traceHash(), sparse.traceHash());
        assertEquals(o.preemptionsAfter(), o.preemptions().isEmpty() ? 0 : o.preemptions().split(",").length);
    }

    @Test
    void aShrunkFailureThatDidNotHitTheBoundNeedsEachOfItsPreemptions() {
        // the README's tour: on machine seed 56 the plain schedule misses the seed 001 BUG
        Scenario seed001 = new ScenarioLoader(impls).load("catalog:seed-001-rdma-ext4",
                Catalog.yaml("seed-001-rdma-ext4"));
        Explorer x = new Explorer(impls);
        Explorer.Outcome o = x.explore(seed001, "legacy",
                Explorer.Options.pct(3).maxSchedules(1000).workloadSeed(56).target(FindingKind.BUG).build());
        assertNotNull(o.shrunk(), "PCT found no BUG on machine seed 56");
        assertTrue(o.preemptionsAfter() > 0, "machine seed 56 alone should not show the BUG");
        assertTrue(o.preemptionsBefore() > o.preemptionsAfter(), o.preemptionsBefore() + " -> " + o.preemptionsAfter());
        assertTrue(o.shrinkRuns() > 1 && o.shrinkRuns() <= Explorer.MAX_SHRINK_RUNS + 1, "runs " + o.shrinkRuns());
        assertTrue(!o.shrinkBounded(), "shrinking should finish within the bound, took " + o.shrinkRuns());
        List<String> kept = List.of(o.preemptions().split(","));
        for (int i = 0; i < kept.size(); i++) {
            List<String> without = new java.util.ArrayList<>(kept);
            without.remove(i);
            RunResult r = x.replayPreemptions(seed001, "legacy", 56, String.join(",", without));
            assertTrue(!r.counts().containsKey(FindingKind.BUG), "the BUG still happens without " + kept.get(i));
        }
    }

    @Test
    void aFixedWorkloadVariesOnlyTheSchedulerAndReplaysOnThatMachine() {
        Explorer x = new Explorer(impls);
        Explorer.Outcome o = x.explore(gpu, "legacy",
                Explorer.Options.random().maxSchedules(5).firstSeed(100).workloadSeed(7).untilFirst(false).build());
        assertEquals(5, o.schedules());
        assertNotNull(o.failing(), "the GPU BUG on machine seed 7 within 5 schedules");
        assertEquals(7, o.failing().seed(), "every schedule ran machine seed 7");
        RunResult again = x.replayPreemptions(gpu, "legacy", 7, o.preemptions());
        assertEquals(o.shrunk().traceHash(), again.traceHash());
        // the schedules differ although the machine is the same: scheduler seeds 100..104
        Runner runner = new Runner(impls);
        long h1 = runner.run(gpu, "legacy", 7, org.pinlab.sim.Schedulers.random(100)).traceHash();
        long h2 = runner.run(gpu, "legacy", 7, org.pinlab.sim.Schedulers.random(101)).traceHash();
        org.junit.jupiter.api.Assertions.assertNotEquals(h1, h2);
    }

    @Test
    void optionsOutOfRangeAreRefusedNamingTheOptionAndItsRange() {
        Map<String, org.junit.jupiter.api.function.Executable> bad = new LinkedHashMap<>();
        bad.put("maxSchedules must be at least 1, was 0", () -> Explorer.Options.random().maxSchedules(0).build());
        bad.put("depth must be at least 1, was 0", () -> Explorer.Options.pct(0).build());
        bad.put("maxPreemptions must be at least 0, was -1", () -> Explorer.Options.dfs(-1).build());
        bad.put("budgetMillis must be at least 0 (0: no limit), was -5",
                () -> Explorer.Options.random().budgetMillis(-5).build());
        bad.put("workloadSeed must be a seed of at least 0 (or -1: each schedule's own), was -2",
                () -> Explorer.Options.random().workloadSeed(-2).build());
        bad.forEach((message, build) -> assertEquals(message,
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, build).getMessage()));
    }

    @Test
    void aBuilderStartsFromTheDefaultsAndToBuilderKeepsEverySetting() {
        Explorer.Options o = Explorer.Options.pct(3).build();
        assertEquals(new Explorer.Options(Explorer.Mode.PCT, 3, Explorer.Options.Builder.DEFAULT_MAX_SCHEDULES, 0, true, 2,
                1, null, Explorer.Options.EACH_SCHEDULES_OWN_SEED), o);
        Explorer.Options all = Explorer.Options.dfs(4).maxSchedules(7).budgetMillis(90).untilFirst(false)
                .firstSeed(11).target(FindingKind.BUG).workloadSeed(5).build();
        assertEquals(all, all.toBuilder().build());
        assertEquals(12, all.toBuilder().firstSeed(12).build().firstSeed());
        assertEquals(all.maxPreemptions(), all.toBuilder().firstSeed(12).build().maxPreemptions());
    }

    @Test
    void aMalformedPreemptionListIsRefusedNamingTheEntry() {
        Explorer x = new Explorer(impls);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> x.replayPreemptions(gpu, "legacy", 1, "@12:1,@x:2"));
        assertTrue(e.getMessage().contains("'@x:2' is not @decision:candidate"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> x.replayPreemptions(gpu, "legacy", 1, "@12:0"));
        assertTrue(e.getMessage().contains("candidate of at least 1"), e.getMessage());
    }

    @Test
    void pctReportsItsMissBoundAndTheSystematicSearchCountsPreemptions() {
        Explorer x = new Explorer(impls);
        Explorer.Outcome pct = x.explore(gpu, "legacy", Explorer.Options.pct(2).maxSchedules(20).target(FindingKind.BUG).build());
        assertTrue(pct.missBound() >= 0 && pct.missBound() < 1, "miss bound " + pct.missBound());
        assertTrue(pct.schedules() >= 1 && pct.schedules() <= 20);

        Explorer.Outcome dfs = x.explore(gpu, "fixed", Explorer.Options.dfs(1).maxSchedules(5).build());
        assertEquals(5, dfs.schedules(), "the fixed combination never fails, so the budget is used up");
        assertEquals(0, dfs.failingSchedules());
        assertTrue(Double.isNaN(dfs.missBound()));
    }

    @Test
    void theMatrixIsTheSameWithOneThreadAndWithTwo() throws InterruptedException {
        Comparison c = new Comparison(impls);
        Comparison.Matrix one = c.run(List.of(gpu), 6, 1, null);
        Comparison.Matrix two = c.run(List.of(gpu), 6, 2, null);
        assertEquals(one.rows(), two.rows());
        assertTrue(one.rows().get(0).runsWithFinding().containsKey(FindingKind.BUG));
    }

    @Test
    void cancellingStopsBetweenSchedules() {
        int[] seen = new int[1];
        Explorer.Outcome o = new Explorer(impls).explore(gpu, "fixed", Explorer.Options.random().maxSchedules(100).build(),
                p -> seen[0] = p.schedules(), () -> seen[0] >= 3);
        assertEquals(3, o.schedules());
    }
}
