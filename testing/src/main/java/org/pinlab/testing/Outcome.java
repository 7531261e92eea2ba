package org.pinlab.testing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.opentest4j.AssertionFailedError;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.scenarios.Comparison;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Scenario;

/**
 * What a scenario showed under one or more combinations, seed by seed, with assertions that
 * chain. An assertion holds for every combination run or fails with an
 * {@link AssertionFailedError} naming, per failing combination, the seeds at fault, the first
 * finding on the first of them and the {@code pinlab:run} command that replays it.
 */
public final class Outcome {

    private final Scenario scenario;
    private final String replayName;
    private final Seeds seeds;
    private final Map<String, List<RunResult>> results;

    Outcome(Scenario scenario, String replayName, Seeds seeds, Map<String, List<RunResult>> results) {
        this.scenario = scenario;
        this.replayName = replayName;
        this.seeds = seeds;
        this.results = results;
    }

    /**
     * Asserts that {@code kind} shows on as many seeds as {@code occurrence} says, under every
     * combination run.
     */
    public Outcome assertFindings(FindingKind kind, Occurrence occurrence) {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<RunResult>> e : results.entrySet()) {
            List<Long> with = seedsWith(e.getKey(), kind);
            int miss = occurrence.miss(with.size(), e.getValue().size());
            if (miss != 0) {
                // too many: the seeds that show it are at fault; too few: the seeds that lack it
                List<Long> atFault = miss > 0 ? with : seedsWhere(e.getKey(), r -> !r.counts().containsKey(kind));
                if (atFault.isEmpty()) { // asked for more seeds than were run
                    atFault = seedsWhere(e.getKey(), r -> true);
                }
                failures.add(failure(e.getKey(), "expected " + kind + " " + occurrence + ", saw it on "
                        + count(with.size()) + (with.isEmpty() ? "" : " (" + ranges(with) + ")"), atFault, kind));
            }
        }
        return check(failures);
    }

    /** Asserts that no seed of any combination run shows {@code kind}. */
    public Outcome assertNoFindings(FindingKind kind) {
        return assertFindings(kind, Occurrence.none());
    }

    /** Asserts that no seed of any combination run shows any finding. */
    public Outcome assertNoFindings() {
        List<String> failures = new ArrayList<>();
        for (String c : results.keySet()) {
            List<Long> atFault = seedsWhere(c, r -> !r.findings().isEmpty());
            if (!atFault.isEmpty()) {
                List<String> kinds = new ArrayList<>();
                kindsSeen(c).forEach((k, n) -> kinds.add(k + " on " + count(n)));
                failures.add(failure(c, "expected no findings, saw " + String.join(", ", kinds), atFault, null));
            }
        }
        return check(failures);
    }

    /**
     * Asserts the scenario's own {@code expect:} for every combination run: each kind under
     * {@code findings} and each entry of {@code results} on some seed (or on every seed, or on
     * none, as its {@code on:} says), and no kind outside {@code findings} and {@code allow}. A
     * combination without an {@code expect:} entry fails: there is nothing to hold.
     */
    public Outcome assertExpectations() {
        List<String> failures = new ArrayList<>();
        for (String c : results.keySet()) {
            Scenario.Expectation x = scenario.expectations().get(c);
            if (x == null) {
                failures.add(where(c) + ": the scenario has no expect: for this combination; expect: covers "
                        + (scenario.expectations().isEmpty() ? "none" : String.join(", ",
                        scenario.expectations().keySet())));
                continue;
            }
            List<String> violations = Comparison.violations(scenario, c, results.get(c));
            if (violations.isEmpty()) {
                continue;
            }
            Set<FindingKind> permitted = java.util.EnumSet.noneOf(FindingKind.class);
            permitted.addAll(x.findings());
            permitted.addAll(x.allowed());
            List<Long> atFault = seedsWhere(c, r -> r.counts().keySet().stream().anyMatch(k -> !permitted.contains(k)));
            if (atFault.isEmpty()) { // only an expected kind missing: every seed lacks it
                atFault = seedsWhere(c, r -> true);
            }
            String note = seeds.from() == 1 && seeds.to() == scenario.seeds() ? ""
                    : " (its expect: is stated over seeds 1.." + scenario.seeds() + ")";
            failures.add(failure(c, "expect: does not hold" + note + ": " + String.join("; ", violations), atFault,
                    null));
        }
        return check(failures);
    }

    public Scenario scenario() {
        return scenario;
    }

    public Seeds seeds() {
        return seeds;
    }

    /** The combinations run, in the order run. */
    public List<String> combinations() {
        return List.copyOf(results.keySet());
    }

    /** Every run, combination by combination, each in seed order. */
    public List<RunResult> results() {
        return results.values().stream().flatMap(List::stream).toList();
    }

    /** The runs of one combination, in seed order. */
    public List<RunResult> results(String combination) {
        List<RunResult> runs = results.get(combination);
        if (runs == null) {
            throw new IllegalArgumentException("combination '" + combination + "' was not run; run: "
                    + String.join(", ", results.keySet()));
        }
        return runs;
    }

    /** The run of one combination and seed. */
    public RunResult result(String combination, long seed) {
        if (seed < seeds.from() || seed > seeds.to()) {
            throw new IllegalArgumentException("seed " + seed + " was not run; seeds run: " + seeds);
        }
        return results(combination).get((int) (seed - seeds.from()));
    }

    /** Every finding of {@code kind}, combination by combination, seed by seed. */
    public List<Finding> findings(FindingKind kind) {
        return results().stream().flatMap(r -> r.findings().stream()).filter(f -> f.kind() == kind).toList();
    }

    /** The seeds on which {@code combination} showed {@code kind}, in increasing order. */
    public List<Long> seedsWith(String combination, FindingKind kind) {
        return seedsWhere(combination, r -> r.counts().containsKey(kind));
    }

    /** Each seed's trace hash under {@code combination}, by seed in increasing order. */
    public Map<Long, Long> traceHashes(String combination) {
        Map<Long, Long> out = new LinkedHashMap<>();
        for (RunResult r : results(combination)) {
            out.put(r.seed(), r.traceHash());
        }
        return out;
    }

    /** The shell command that runs one of these runs again in Karaf. */
    public String replayCommand(String combination, long seed) {
        return "pinlab:run -c " + combination + " -s " + seed + " " + replayName;
    }

    private List<Long> seedsWhere(String combination, Predicate<RunResult> p) {
        return results(combination).stream().filter(p).map(RunResult::seed).toList();
    }

    /** Per kind, the number of seeds that showed it. */
    private Map<FindingKind, Integer> kindsSeen(String combination) {
        Map<FindingKind, Integer> out = new EnumMap<>(FindingKind.class);
        for (RunResult r : results(combination)) {
            r.counts().keySet().forEach(k -> out.merge(k, 1, Integer::sum));
        }
        return out;
    }

    /** One combination's failure: what, the seeds at fault, the first finding there and how to replay it. */
    private String failure(String combination, String what, List<Long> atFault, FindingKind kind) {
        long seed = atFault.get(0);
        RunResult r = result(combination, seed);
        Finding first = r.findings().stream().filter(f -> kind == null || f.kind() == kind).findFirst()
                .orElse(r.first());
        return where(combination) + ": " + what + "\n    failed on seeds: " + ranges(atFault)
                + "\n    first finding on seed " + seed + ": " + (first == null ? "none"
                : first.kind() + ": " + first.message() + " [task " + first.task() + " at " + first.timeNs() + " ns]")
                + "\n    replay: " + replayCommand(combination, seed);
    }

    private String where(String combination) {
        return "scenario " + scenario.name() + ", combination " + combination + ", seeds " + seeds;
    }

    private Outcome check(List<String> failures) {
        if (!failures.isEmpty()) {
            throw new AssertionFailedError(String.join("\n", failures));
        }
        return this;
    }

    private static String count(int n) {
        return n == 0 ? "no seed" : n + (n == 1 ? " seed" : " seeds");
    }

    /** {@code 1..3, 7, 9..12}: seeds in increasing order, runs of consecutive ones joined. */
    static String ranges(List<Long> seeds) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < seeds.size(); ) {
            int j = i;
            while (j + 1 < seeds.size() && seeds.get(j + 1) == seeds.get(j) + 1) {
                j++;
            }
            b.append(b.length() == 0 ? "" : ", ").append(seeds.get(i));
            if (j > i) {
                b.append("..").append(seeds.get(j));
            }
            i = j + 1;
        }
        return b.toString();
    }
}
