package org.pinlab.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.families.Families;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.lab.Implementations;
import org.pinlab.scenarios.Catalog;
import org.pinlab.scenarios.Comparison.Matrix;
import org.pinlab.scenarios.Comparison.Row;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Runner;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.TestImplementations;
import org.pinlab.sim.Schedulers;

class ReportTest {

    @Test
    void entriesCarryTheChoicesThatDifferFromTheKernelsAndTheKindsSeen() {
        Report r = Report.of(ReportFixtures.handWritten());
        assertEquals(3, r.entries().size());
        Report.Entry legacy = r.entries().get(0);
        assertEquals(List.of(), legacy.nonDefaultChoices());
        assertEquals(List.of(FindingKind.BUG, FindingKind.LOST_WRITE), List.copyOf(legacy.kinds()));
        assertEquals(List.of("BUG 12/50 (first seed 3)", "LOST_WRITE 50/50 (first seed 1)"), legacy.findings());
        assertEquals(16L << 20, legacy.peakDmaBytes());
        Report.Entry fixed = r.entries().get(1);
        assertEquals(List.of("release=fixed", "writeback=stable"), fixed.nonDefaultChoices());
        assertEquals(4L << 20, fixed.peakBounceBytes());
        assertTrue(legacy.firstOfScenario());
        assertFalse(fixed.firstOfScenario());
        assertTrue(r.entries().get(2).firstOfScenario());
    }

    @Test
    void sectionsGroupRowsByScenarioAndTheVerdictCountsRowsMeetingExpectations() {
        Report r = Report.of(ReportFixtures.handWritten());
        assertEquals(List.of(ReportFixtures.RDMA, ReportFixtures.EVIL),
                r.sections().stream().map(Report.Section::scenario).toList());
        assertEquals(2, r.sections().get(0).entries().size());
        assertEquals(2, r.meetingExpectations());
        assertFalse(r.allMeetExpectations());
        assertEquals("2 scenarios, 3 combinations, 50 seeds each, 8 threads, 1234 ms wall time", r.summary());
    }

    @Test
    void familiesListTheKnownOnesInReportOrderThenAnyOther() {
        Row known = ReportFixtures.handWritten().rows().get(0);
        Map<String, String> choices = new java.util.LinkedHashMap<>();
        choices.put("zz-new-family", "x");
        choices.put(Families.ALLOCATOR.name(), "buddy");
        choices.put(Families.RELEASE.name(), "legacy");
        Row odd = new Row("s", "odd", choices, 1, Map.of(), Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
        Report r = Report.of(new Matrix(List.of(odd, known), 1, 1, 0));
        List<String> expected = new java.util.ArrayList<>(Families.defaults().keySet());
        expected.add("zz-new-family");
        assertEquals(expected, r.families());
    }

    @Test
    void aRunIsReportedAsAComparisonOfOneSeed() {
        Implementations impls = TestImplementations.all();
        Scenario s = Catalog.load(impls).stream().filter(x -> x.name().equals("seed-002-dax-truncate"))
                .findFirst().orElseThrow();
        RunResult run = new Runner(impls).run(s, "proceed", 1, Schedulers.random(1));
        Report r = Report.ofRun(s, run, 7);
        assertEquals("1 scenario, 1 combination, 1 seed each, 1 thread, 7 ms wall time", r.summary());
        Report.Entry e = r.entries().get(0);
        assertEquals(List.of("USE_AFTER_FREE 1/1 (first seed 1)"), e.findings());
        assertEquals(run.stats().peakDmaPages() * Report.PAGE_SIZE, e.peakDmaBytes());
    }
}
