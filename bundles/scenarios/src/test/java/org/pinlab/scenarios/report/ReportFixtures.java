package org.pinlab.scenarios.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pinlab.api.families.Families;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.lab.Implementations;
import org.pinlab.scenarios.Catalog;
import org.pinlab.scenarios.Comparison.Matrix;
import org.pinlab.scenarios.Comparison.Row;
import org.pinlab.scenarios.Comparison;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.TestImplementations;

/** The matrices the report tests render: one written by hand to reach every branch, one really run. */
final class ReportFixtures {

    static final String RDMA = "seed-001: rdma, ext4";
    static final String EVIL = "<script>alert('x')</script> & co";

    private ReportFixtures() {
    }

    /** Findings with first seeds, a violation, bounce pages, a name that needs escaping and quoting. */
    static Matrix handWritten() {
        Map<String, String> legacy = new LinkedHashMap<>(Families.defaults());
        Map<String, String> fixed = new LinkedHashMap<>(Families.defaults());
        fixed.put(Families.RELEASE.name(), "fixed");
        fixed.put(Families.WRITEBACK.name(), "stable");
        Map<FindingKind, Integer> with = new EnumMap<>(FindingKind.class);
        with.put(FindingKind.BUG, 12);
        with.put(FindingKind.LOST_WRITE, 50);
        Map<FindingKind, Long> first = new EnumMap<>(FindingKind.class);
        first.put(FindingKind.BUG, 3L);
        first.put(FindingKind.LOST_WRITE, 1L);
        Row a = new Row(RDMA, "legacy", legacy, 50, with, first, 812.5, 1_250_000, 48_000_000, 2_000_000,
                95_000_000, 340, 4096, 0, 0, List.of("expected WARN in some run, saw none"));
        Row b = new Row(RDMA, "fixed", fixed, 50, Map.of(), Map.of(), 640.25, 900_000, 7_500_000, 1_500_000,
                20_000_000, 0, 2048, 1024, 150_000_000, List.of());
        Row c = new Row(EVIL, "a\"b", legacy, 10, Map.of(FindingKind.DEADLOCK, 1), Map.of(FindingKind.DEADLOCK, 7L),
                0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
        return new Matrix(List.of(a, b, c), 50, 8, 1234);
    }

    /**
     * Two catalog scenarios, every combination, seeds 1 and 2, as {@code pinlab:compare} runs them;
     * the host's wall time is replaced by a fixed figure so the report is the same on every machine.
     */
    static Matrix catalog() throws InterruptedException {
        Implementations impls = TestImplementations.all();
        List<Scenario> scenarios = new ArrayList<>();
        for (Scenario s : Catalog.load(impls)) {
            if (s.name().equals("seed-001-rdma-ext4") || s.name().equals("seed-002-dax-truncate")) {
                scenarios.add(s);
            }
        }
        Matrix m = new Comparison(impls).run(scenarios, 2, 2, null);
        return new Matrix(m.rows(), m.seeds(), m.threads(), 4321);
    }
}
