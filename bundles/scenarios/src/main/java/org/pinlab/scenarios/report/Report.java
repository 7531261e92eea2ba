package org.pinlab.scenarios.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.pinlab.api.families.Families;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.scenarios.Comparison.Matrix;
import org.pinlab.scenarios.Comparison.Row;
import org.pinlab.scenarios.Comparison;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Scenario;

/**
 * Everything a report shows about a comparison, worked out once: the rows with what each
 * format prints beside their figures (the choices that differ from the kernel's, the finding
 * kinds seen), the rows grouped by scenario, the strategy families, the verdict and the
 * one-line summary. Renderers lay this out and compute nothing of their own.
 *
 * <p>The figures are those of {@link Comparison#row}: writeback and fsync p50 are medians of
 * the per-run medians, p99 the worst per-run 99th percentile; peaks are the maximum over the
 * runs; unreclaimable and copy bytes are summed over the runs; DMA throughput is the mean per
 * simulated second. Every time is simulated time except the wall time of the whole comparison.
 */
public final class Report {

    /** Findings counted by kind as one line, {@code BUG 3, WARN 1}, or {@code none}. */
    public static String countsByKind(Map<FindingKind, Integer> byKind) {
        if (byKind.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<FindingKind, Integer> e : byKind.entrySet()) {
            sb.append(sb.length() > 0 ? ", " : "").append(e.getKey()).append(' ').append(e.getValue());
        }
        return sb.toString();
    }

    /** The size of the pages the peak figures count, to turn them into bytes. */
    public static final long PAGE_SIZE = MemoryLayout.PAGE_SIZE;

    /**
     * One combination of one scenario.
     *
     * @param row               its figures as the comparison aggregated them
     * @param firstOfScenario   whether it is the first row of a run of rows of its scenario
     * @param nonDefaultChoices {@code family=name} for each choice that is not the kernel's default
     * @param kinds             the finding kinds seen in at least one run, in the kinds' declared order
     * @param findings          one line per kind seen: {@code BUG 12/50 (first seed 3)}
     */
    public record Entry(Row row, boolean firstOfScenario, List<String> nonDefaultChoices, Set<FindingKind> kinds,
                        List<String> findings) {

        /**
         * One line per system call error its runs returned, in the order first seen:
         * {@code truncate: ftruncate -EBUSY 3/3} (runs that returned it, of all runs).
         */
        public List<String> errors() {
            List<String> out = new ArrayList<>();
            row.runsWithError().forEach((error, runs) -> out.add(error + " " + runs + "/" + row.runs()));
            return out;
        }

        public long peakDmaBytes() {
            return row.peakDmaPages() * PAGE_SIZE;
        }

        public long peakBounceBytes() {
            return row.peakBouncePages() * PAGE_SIZE;
        }
    }

    /** The entries of one scenario, in matrix order. */
    public record Section(String scenario, List<Entry> entries) {
    }

    private final Matrix matrix;
    private final List<Entry> entries;
    private final List<Section> sections;
    private final List<String> families;
    private final long meetingExpectations;
    private final String summary;

    private Report(Matrix m) {
        this.matrix = m;
        List<Entry> all = new ArrayList<>();
        Map<String, List<Entry>> byScenario = new LinkedHashMap<>();
        String previous = null;
        for (Row r : m.rows()) {
            Set<FindingKind> kinds = kinds(r);
            List<String> findings = new ArrayList<>();
            for (FindingKind k : kinds) {
                findings.add(findingText(r, k));
            }
            Entry e = new Entry(r, !r.scenario().equals(previous), nonDefaultChoices(r),
                    Collections.unmodifiableSet(kinds), List.copyOf(findings));
            previous = r.scenario();
            all.add(e);
            byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(e);
        }
        this.entries = List.copyOf(all);
        List<Section> s = new ArrayList<>();
        byScenario.forEach((name, list) -> s.add(new Section(name, List.copyOf(list))));
        this.sections = List.copyOf(s);
        this.families = families(m);
        this.meetingExpectations = m.rows().stream().filter(Row::meetsExpectations).count();
        this.summary = summary(m, byScenario.size());
    }

    /** The report of a comparison. */
    public static Report of(Matrix m) {
        return new Report(m);
    }

    /**
     * The report of one run, as a comparison of one combination on one seed would show it.
     *
     * @param wallMillis the host time the run took, for the summary
     */
    public static Report ofRun(Scenario s, RunResult r, long wallMillis) {
        return new Report(new Matrix(List.of(Comparison.row(s, r.combination(), List.of(r))), 1, 1, wallMillis));
    }

    /** The matrix the report was built from. */
    public Matrix matrix() {
        return matrix;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entries by scenario, scenarios in order of first appearance. */
    public List<Section> sections() {
        return sections;
    }

    /** The strategy families any row chooses, the known ones in report order first. */
    public List<String> families() {
        return families;
    }

    /** How many rows meet their scenario's expectations. */
    public long meetingExpectations() {
        return meetingExpectations;
    }

    public boolean allMeetExpectations() {
        return meetingExpectations == entries.size();
    }

    /** {@code 2 scenarios, 5 combinations, 2 seeds each, 8 threads, 812 ms wall time}. */
    public String summary() {
        return summary;
    }

    private static String summary(Matrix m, int scenarios) {
        return scenarios + (scenarios == 1 ? " scenario, " : " scenarios, ")
                + m.rows().size() + (m.rows().size() == 1 ? " combination, " : " combinations, ") + m.seeds()
                + (m.seeds() == 1 ? " seed" : " seeds") + " each, " + m.threads()
                + (m.threads() == 1 ? " thread, " : " threads, ") + Quantities.wall(m.wallMillis()) + " wall time";
    }

    private static String findingText(Row r, FindingKind k) {
        StringBuilder s = new StringBuilder();
        s.append(k).append(' ').append(r.runsWithFinding().get(k)).append('/').append(r.runs());
        Long seed = r.firstSeed().get(k);
        if (seed != null) {
            s.append(" (first seed ").append(seed).append(')');
        }
        return s.toString();
    }

    private static Set<FindingKind> kinds(Row r) {
        Set<FindingKind> k = EnumSet.noneOf(FindingKind.class);
        for (Map.Entry<FindingKind, Integer> e : r.runsWithFinding().entrySet()) {
            if (e.getValue() != null && e.getValue() > 0) {
                k.add(e.getKey());
            }
        }
        return k;
    }

    // the two places a report lists the strategy families, through the family descriptors (Families.defaults())

    private static List<String> families(Matrix m) {
        Set<String> f = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Row r : m.rows()) {
            seen.addAll(r.choices().keySet());
        }
        for (String family : Families.defaults().keySet()) {
            if (seen.contains(family)) {
                f.add(family);
            }
        }
        f.addAll(seen);
        return List.copyOf(f);
    }

    private static List<String> nonDefaultChoices(Row r) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : r.choices().entrySet()) {
            if (!e.getValue().equals(Families.defaults().get(e.getKey()))) {
                out.add(e.getKey() + "=" + e.getValue());
            }
        }
        return List.copyOf(out);
    }
}
