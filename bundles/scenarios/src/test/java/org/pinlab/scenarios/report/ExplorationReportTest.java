package org.pinlab.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.lab.Implementations;
import org.pinlab.scenarios.Catalog;
import org.pinlab.scenarios.Explorer;
import org.pinlab.scenarios.JsonTree;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.ScenarioLoader;
import org.pinlab.scenarios.TestImplementations;

/** An exploration's report is built once and written as the console table or as JSON, saying the same. */
class ExplorationReportTest {

    private final Implementations impls = TestImplementations.all();
    private final Scenario gpu = new ScenarioLoader(impls).load("catalog:gpu-memory-pressure",
            Catalog.yaml("gpu-memory-pressure"));

    @Test
    void aFoundBugIsReportedWithItsShrunkScheduleAndReplayInTableAndJsonAlike() throws IOException {
        Explorer.Outcome o = new Explorer(impls).explore(gpu, "legacy",
                Explorer.Options.random().maxSchedules(50).target(FindingKind.BUG).build());
        ExplorationReport r = ExplorationReport.of(o, 3, FindingKind.BUG, false);
        assertNotNull(r.failing(), "no BUG in 50 random schedules");
        assertEquals(FindingKind.BUG, r.finding().kind());
        assertEquals(o.shrunk().seed(), r.failing().seed(), "the report is about the shrunk failure");

        String table = Format.TABLE.explorationRenderer().render(r);
        assertTrue(table.contains("first failing schedule: seed " + r.failing().seed() + ", "), table);
        assertTrue(table.contains("  " + r.finding().describe().lines().findFirst().orElseThrow()), table);
        assertTrue(table.contains(String.format("trace hash %016x", r.failing().traceHash())), table);
        assertTrue(table.endsWith("replay: " + o.replayCommand() + System.lineSeparator()), table);

        Map<String, Object> json = JsonTree.object(JsonTree.parse(Format.JSON.explorationRenderer().render(r)));
        assertEquals("pinlab-exploration", json.get("format"));
        assertEquals((double) o.schedules(), JsonTree.number(json.get("schedules")));
        Map<String, Object> failure = JsonTree.object(json.get("failure"));
        assertEquals(o.replayCommand(), failure.get("replay"));
        assertEquals("BUG", failure.get("kind"));
        assertEquals(String.format("%016x", r.failing().traceHash()), failure.get("traceHash"));
    }

    @Test
    void anExplorationWithoutAFailureSaysSoAndHasNoFailureInJson() throws IOException {
        Explorer.Outcome o = new Explorer(impls).explore(gpu, "fixed",
                Explorer.Options.random().maxSchedules(3).target(FindingKind.BUG).build());
        ExplorationReport r = ExplorationReport.of(o, 3, FindingKind.BUG, true);
        assertNull(r.failing(), "the fixed combination should not hit the BUG");
        String table = Format.TABLE.explorationRenderer().render(r);
        assertTrue(table.contains(", stopped by Ctrl-C"), table);
        assertTrue(table.endsWith("no failing schedule found" + System.lineSeparator()), table);
        Map<String, Object> json = JsonTree.object(JsonTree.parse(Format.JSON.explorationRenderer().render(r)));
        assertFalse(json.containsKey("failure"), json.toString());
        assertEquals(Boolean.TRUE, json.get("interrupted"));
    }

    @Test
    void pctStatesItsGuaranteeAsOddsPerScheduleWithTheFiguresItRestsOn() {
        Explorer.Outcome o = new Explorer(impls).explore(gpu, "fixed",
                Explorer.Options.pct(3).maxSchedules(2).target(FindingKind.BUG).build());
        ExplorationReport r = ExplorationReport.of(o, 3, FindingKind.BUG, false);
        assertEquals(o.tasks() * Math.pow(o.steps(), 2), r.pctOneIn(), 1e-6 * r.pctOneIn());
        String table = Format.TABLE.explorationRenderer().render(r);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT,
                "PCT guarantee: each schedule finds a depth-3 bug with probability at least 1 in %.3g (%d tasks, %,d steps);"
                        + " after 2 schedules at least ", r.pctOneIn(), o.tasks(), o.steps())), table);
        assertFalse(table.contains("miss bound"), table);
    }

    @Test
    void aProbabilityBelowOneIsNeverPrintedAsAHundredPercent() {
        assertEquals("99.9%", ExplorationTableRenderer.percent(0.99999));
        assertEquals("100%", ExplorationTableRenderer.percent(1.0));
        assertEquals("4.00e-07%", ExplorationTableRenderer.percent(4e-9));
    }

    @Test
    void anExplorationIsNotWrittenAsCsv() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Format.CSV::explorationRenderer);
        assertEquals("an exploration is written as table or json, not csv", e.getMessage());
    }
}
