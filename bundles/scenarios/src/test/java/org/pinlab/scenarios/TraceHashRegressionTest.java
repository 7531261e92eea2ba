package org.pinlab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Implementations;
import org.pinlab.kernel.Meter;
import org.pinlab.sim.Schedulers;

/**
 * The project's regression net: every shipped scenario, every combination, seeds 1..20 under
 * the seeded random scheduler, must give the trace hash, step count and findings recorded in
 * {@code trace-hashes.txt}. A refactoring changes none of them. A change that alters a
 * scenario's behaviour on purpose re-records the file with
 * {@code mvn -pl bundles/scenarios test -Dtest=TraceHashRegressionTest -Dpinlab.recordHashes=true}
 * and says in its commit message which scenarios changed and why.
 */
class TraceHashRegressionTest {

    static final int SEEDS = 20;
    private static final String RESOURCE = "trace-hashes.txt";

    /** One line per run: {@code scenario combination seed hash steps findings}. */
    static List<String> currentLines() {
        Implementations impls = TestImplementations.all();
        return currentLines(impls, new Runner(impls), SEEDS);
    }

    static List<String> currentLines(Implementations impls, Runner runner, int seeds) {
        List<String> lines = new ArrayList<>();
        for (Scenario s : Catalog.load(impls)) {
            for (String c : s.combinations().keySet()) {
                for (int seed = 1; seed <= seeds; seed++) {
                    RunResult r = runner.run(s, c, seed, Schedulers.random(seed));
                    lines.add(String.join(" ", s.name(), c, Integer.toString(seed),
                            String.format("%016x", r.traceHash()), Long.toString(r.steps()), counts(r)));
                }
            }
        }
        return lines;
    }

    private static String counts(RunResult r) {
        StringBuilder b = new StringBuilder();
        r.counts().forEach((k, n) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(n));
        return b.length() == 0 ? "-" : b.toString();
    }

    @Test
    void everyShippedScenarioKeepsItsRecordedTraceHashOnSeedsOneToTwenty() throws IOException {
        List<String> now = currentLines();
        if (Boolean.getBoolean("pinlab.recordHashes")) {
            Path file = Path.of("src/test/resources/org/pinlab/scenarios", RESOURCE);
            Files.createDirectories(file.getParent());
            Files.write(file, now, StandardCharsets.UTF_8);
            return;
        }
        Map<String, String> recorded = byRun(recorded());
        Map<String, String> current = byRun(now);
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : current.entrySet()) {
            String was = recorded.get(e.getKey());
            if (!e.getValue().equals(was)) {
                changed.add(e.getKey() + ": recorded " + (was == null ? "nothing" : was) + ", now " + e.getValue());
            }
        }
        for (String key : recorded.keySet()) {
            if (!current.containsKey(key)) {
                changed.add(key + ": recorded, but no longer run");
            }
        }
        if (!changed.isEmpty()) {
            fail(changed.size() + " of " + current.size() + " runs changed their trace; first ones:\n  "
                    + String.join("\n  ", changed.subList(0, Math.min(20, changed.size()))));
        }
        assertEquals(recorded.size(), current.size());
    }

    /**
     * The counters of {@code pinlab:status} only count: a machine that reaches every
     * implementation through the meter's proxies runs the recorded trace, on every shipped
     * scenario and combination.
     */
    @Test
    void aMeteredMachineRunsTheRecordedTraceOfEveryShippedScenario() throws IOException {
        Implementations impls = TestImplementations.all();
        Meter meter = new Meter();
        List<String> metered = currentLines(impls, new Runner(impls, meter), 2);
        Map<String, String> recorded = byRun(recorded());
        for (Map.Entry<String, String> e : byRun(metered).entrySet()) {
            assertEquals(recorded.get(e.getKey()), e.getValue(), "metered run of " + e.getKey());
        }
        java.util.Set<String> reached = new java.util.TreeSet<>();
        for (Meter.Count c : meter.counts()) {
            if (c.calls() > 0) {
                reached.add(c.implementation().name());
            }
        }
        for (String name : List.of("ext4", "tmpfs", "dax", "rdma", "gpu", "nvme", "legacy", "tracked", "buddy",
                "merged")) {
            assertTrue(reached.contains(name), name + " was called through the meter; reached: " + reached);
        }
    }

    /**
     * Equal hashes mean equal runs: two combinations of a shipped scenario never share a trace
     * hash on the same seed, even where the choice they differ in changes no step (a reclaim
     * policy that never meets a pinned page, a pin layout whose counts come out the same).
     */
    @Test
    void runsThatDifferInAnyChoiceNeverShareATraceHash() {
        Implementations impls = TestImplementations.all();
        Runner runner = new Runner(impls);
        List<String> shared = new ArrayList<>();
        for (Scenario s : Catalog.load(impls)) {
            for (int seed = 1; seed <= 8; seed++) {
                Map<Long, String> byHash = new java.util.HashMap<>();
                for (String c : s.combinations().keySet()) {
                    long hash = runner.run(s, c, seed, Schedulers.random(seed)).traceHash();
                    String other = byHash.putIfAbsent(hash, c);
                    if (other != null) {
                        shared.add(s.name() + " seed " + seed + ": " + other + " and " + c);
                    }
                }
            }
        }
        assertTrue(shared.isEmpty(), "combinations sharing a trace hash: " + shared);
    }

    /** The version of the bundle that registered an implementation is part of the hash. */
    @Test
    void theVersionOfEveryImplementationARunUsesIsPartOfItsTraceHash() {
        Scenario s = Catalog.load(TestImplementations.all()).stream()
                .filter(x -> x.name().equals("seed-001-rdma-ext4")).findFirst().orElseThrow();
        long unversioned = hash(s, TestImplementations.all());
        Implementations v1 = TestImplementations.all();
        v1.add(Families.FILESYSTEM, v1.get(Families.FILESYSTEM, "ext4"), "1.0.0");
        Implementations v1again = TestImplementations.all();
        v1again.add(Families.FILESYSTEM, v1again.get(Families.FILESYSTEM, "ext4"), "1.0.0");
        Implementations v2 = TestImplementations.all();
        v2.add(Families.FILESYSTEM, v2.get(Families.FILESYSTEM, "ext4"), "1.0.1");
        Implementations rdma2 = TestImplementations.all();
        rdma2.add(Families.DEVICE, rdma2.get(Families.DEVICE, "rdma"), "2.0.0");
        Implementations unusedGpu = TestImplementations.all();
        unusedGpu.add(Families.DEVICE, unusedGpu.get(Families.DEVICE, "gpu"), "2.0.0");
        assertEquals(hash(s, v1), hash(s, v1again), "same versions, same run");
        assertNotEquals(unversioned, hash(s, v1), "ext4 unversioned vs 1.0.0");
        assertNotEquals(hash(s, v1), hash(s, v2), "ext4 1.0.0 vs 1.0.1");
        assertNotEquals(unversioned, hash(s, rdma2), "the rdma driver's version");
        assertEquals(unversioned, hash(s, unusedGpu), "a driver the scenario does not use is not part of its run");
    }

    private static long hash(Scenario s, Implementations impls) {
        return new Runner(impls).run(s, "legacy", 1, Schedulers.random(1)).traceHash();
    }

    /** {@code scenario combination seed} -> {@code hash steps findings}. */
    private static Map<String, String> byRun(List<String> lines) {
        Map<String, String> out = new TreeMap<>();
        for (String line : lines) {
            String[] f = line.split(" ", 4);
            out.put(f[0] + " " + f[1] + " " + f[2], f[3]);
        }
        return out;
    }

    private static List<String> recorded() throws IOException {
        try (InputStream in = TraceHashRegressionTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " is missing; record it with -Dpinlab.recordHashes=true");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
