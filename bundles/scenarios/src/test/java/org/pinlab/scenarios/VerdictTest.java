package org.pinlab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.SyscallResult;
import org.pinlab.api.lab.Implementations;
import org.pinlab.sim.Schedulers;

/**
 * Every verdict visible and assertable: the errors system calls return are part of a run's
 * result, and a scenario's {@code expect:} reads findings and results on every seed, some seed
 * or none.
 */
class VerdictTest {

    private static final Implementations IMPLS = TestImplementations.all();
    private final ScenarioLoader loader = new ScenarioLoader(IMPLS);

    /** seed-002-dax-truncate's machine with the truncate policies to compare, and {@code expect}. */
    private static String daxTruncate(String expect) {
        return String.join("\n",
                "name: dax-truncate-results",
                "machine: {memory: 2048}",
                "filesystems: [{mount: /pmem, type: dax, blocks: 256}]",
                "files: [{name: data, mount: /pmem, pages: 16}]",
                "processes: [{name: app, mappings: [{name: shared, file: data}]}]",
                "devices:",
                "  - name: gpu0",
                "    type: gpu",
                "    buffers: [{name: bo, mapping: app.shared}]",
                "    params: {jobs: 1, pages: 16, job-length: 10ms, revocable: false}",
                "events: [{at: 3ms, truncate: data, size: 0}]",
                "duration: 20ms",
                "seeds: 3",
                "combinations:",
                "  fail: {release: tracked, truncate: fail}",
                "  wait: {release: tracked, truncate: wait}",
                expect);
    }

    private static List<RunResult> runs(Scenario s, String combination, int seeds) {
        Runner runner = new Runner(IMPLS);
        List<RunResult> out = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            out.add(runner.run(s, combination, seed, Schedulers.random(seed)));
        }
        return out;
    }

    /**
     * truncate_pagecache under a truncate policy that refuses a pinned page (Gunthorpe's
     * proposal): ftruncate(2) returns -EBUSY to the program and the run says so.
     */
    @Test
    void ftruncateOfAFileADeviceHoldsPinnedReturnsEbusyUnderTheFailPolicyAndTheRunReportsIt() {
        Scenario s = loader.load("t.yaml", daxTruncate(""));
        RunResult fail = runs(s, "fail", 1).get(0);
        assertEquals(1, fail.syscallErrors().size(), fail.syscallErrors().toString());
        SyscallResult r = fail.syscallErrors().get(0);
        assertEquals("truncate", r.task());
        assertEquals("ftruncate", r.call());
        assertEquals("EBUSY", r.errno());
        assertEquals(1, r.count());
        assertTrue(r.firstNs() >= 3_000_000, "after the event's time: " + r.firstNs());
        assertEquals("truncate: ftruncate returned -EBUSY (-16), once, at " + r.firstNs() + " ns", r.describe());
        assertEquals(List.of(), runs(s, "wait", 1).get(0).syscallErrors(), "waiting for the pins truncates");
        Comparison.Row row = Comparison.row(s, "fail", runs(s, "fail", 3));
        assertEquals(java.util.Map.of("truncate: ftruncate -EBUSY", 3), row.runsWithError());
    }

    @Test
    void anExpectedResultIsCheckedOnTheSeedsAsItsOnSays() {
        Scenario holds = loader.load("t.yaml", daxTruncate(String.join("\n",
                "expect:",
                "  fail: {findings: [], results: [{task: truncate, call: ftruncate, errno: EBUSY}], on: every}",
                "  wait: {findings: [], results: [{call: ftruncate}], on: none}")));
        assertEquals(List.of(), Comparison.violations(holds, "fail", runs(holds, "fail", 3)));
        assertEquals(List.of(), Comparison.violations(holds, "wait", runs(holds, "wait", 3)));
        Scenario wrong = loader.load("t.yaml", daxTruncate(String.join("\n",
                "expect:",
                "  fail: {results: [{call: ftruncate, errno: EIO}]}",
                "  wait: {results: [{task: truncate, call: ftruncate, errno: EBUSY}]}")));
        assertEquals(List.of("expected ftruncate -EIO in some run, saw none"),
                Comparison.violations(wrong, "fail", runs(wrong, "fail", 3)));
        assertEquals(List.of("expected truncate: ftruncate -EBUSY in some run, saw none"),
                Comparison.violations(wrong, "wait", runs(wrong, "wait", 3)));
        Scenario none = loader.load("t.yaml", daxTruncate(String.join("\n",
                "expect:",
                "  fail: {results: [{call: ftruncate}], on: none}")));
        assertEquals(List.of("expected ftruncate failing on no seed; saw it on seeds 1, 2, 3"),
                Comparison.violations(none, "fail", runs(none, "fail", 3)));
    }

    /** seed-001 under legacy: the BUG on seeds 1, 2, 4 and 5 of 1..5, not on 3. */
    @Test
    void aFindingExpectedOnEverySeedOrOnNoneIsReadThatWay() {
        Scenario catalog = Catalog.load(IMPLS).stream().filter(x -> x.name().equals("seed-001-rdma-ext4"))
                .findFirst().orElseThrow();
        List<RunResult> legacy = runs(catalog, "legacy", 5);
        assertEquals(List.of(1L, 2L, 4L, 5L), legacy.stream().filter(r -> r.counts().containsKey(
                org.pinlab.api.finding.FindingKind.BUG)).map(RunResult::seed).toList());
        String yaml = Catalog.yaml("seed-001-rdma-ext4");
        String base = yaml.substring(0, yaml.indexOf("\nexpect:"));
        Scenario every = loader.load("t.yaml", base + "\nexpect:\n  legacy: {findings: [BUG], allow: "
                + "[DIRTY_WITHOUT_MKWRITE, FSYNC_LIED], on: every}\n");
        assertEquals(List.of("expected BUG on every seed; missing on seed 3"),
                Comparison.violations(every, "legacy", legacy));
        Scenario some = loader.load("t.yaml", base + "\nexpect:\n  legacy: {findings: [BUG], allow: "
                + "[DIRTY_WITHOUT_MKWRITE, FSYNC_LIED], on: some}\n");
        assertEquals(List.of(), Comparison.violations(some, "legacy", legacy));
        Scenario never = loader.load("t.yaml", base + "\nexpect:\n  legacy: {findings: [BUG], on: none}\n");
        assertEquals(List.of("expected BUG on no seed; saw it on seeds 1, 2, 4, 5"),
                Comparison.violations(never, "legacy", legacy));
    }

    @Test
    void aMisspeltOnOrErrnoAndAnAllowUnderOnNoneAreRefusedWhereTheyAre() {
        ScenarioException on = assertThrows(ScenarioException.class, () -> loader.load("t.yaml",
                daxTruncate("expect:\n  fail: {on: evry}")));
        assertTrue(on.getMessage().contains("t.yaml:18:") && on.getMessage().contains("'on' is 'evry'")
                && on.getMessage().contains("did you mean 'every'"), on.getMessage());
        ScenarioException errno = assertThrows(ScenarioException.class, () -> loader.load("t.yaml",
                daxTruncate("expect:\n  fail: {results: [{call: ftruncate, errno: EBSY}]}")));
        assertTrue(errno.getMessage().contains("t.yaml:18:") && errno.getMessage().contains("unknown errno 'EBSY'")
                && errno.getMessage().contains("EBUSY"), errno.getMessage());
        ScenarioException call = assertThrows(ScenarioException.class, () -> loader.load("t.yaml",
                daxTruncate("expect:\n  fail: {results: [{errno: EBUSY}]}")));
        assertTrue(call.getMessage().contains("needs 'call'"), call.getMessage());
        ScenarioException allow = assertThrows(ScenarioException.class, () -> loader.load("t.yaml",
                daxTruncate("expect:\n  fail: {findings: [BUG], allow: [FSYNC_LIED], on: none}")));
        assertTrue(allow.getMessage().contains("'allow' has no meaning with 'on: none'"), allow.getMessage());
    }

    /** seed 002's DAX truncate with the GPU revocable in one combination and not in the other. */
    private static String revocable(String gpuOverrides) {
        return daxTruncate("").replace("  fail: {release: tracked, truncate: fail}\n  wait: {release: tracked, truncate: wait}",
                "  revocable: {release: tracked, truncate: revoke, devices: {gpu0: {params: {revocable: true}}}}\n"
                        + "  pinned: {release: tracked, truncate: revoke, " + gpuOverrides + "}");
    }

    @Test
    void aCombinationOverridesADeviceSoOneFileComparesAGpuRevocableAgainstOneThatIsNot() {
        Scenario s = loader.load("t.yaml", revocable("devices: {gpu0: {params: {revocable: false}}}, "
                + "machine: {memory: 4096}, events: [{at: 5ms, truncate: data, size: 0}]"));
        assertEquals("true", s.forCombination("revocable").devices().get(0).params().get("revocable"));
        assertEquals("false", s.forCombination("pinned").devices().get(0).params().get("revocable"));
        assertEquals("false", s.devices().get(0).params().get("revocable"), "the scenario's own device is as written");
        assertEquals(4096, s.forCombination("pinned").machine().normalPages());
        assertEquals(2048, s.forCombination("revocable").machine().normalPages());
        assertEquals(5_000_000, s.forCombination("pinned").events().get(0).atNs());
        assertEquals(3_000_000, s.forCombination("revocable").events().get(0).atNs());
        RunResult revoked = runs(s, "revocable", 1).get(0);
        RunResult pinned = runs(s, "pinned", 1).get(0);
        assertTrue(String.join("\n", revoked.dmesg()).contains("revoke"), revoked.dmesg().toString());
        assertTrue(!revoked.dmesg().equals(pinned.dmesg()), "the two devices behave differently");
    }

    @Test
    void anOverrideOfADeviceTheScenarioHasNotIsRefusedWithTheNearestName() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> loader.load("t.yaml",
                revocable("devices: {gpu1: {params: {revocable: false}}}")));
        assertTrue(e.getMessage().contains("no device 'gpu1' (did you mean 'gpu0'?)"), e.getMessage());
        ScenarioException param = assertThrows(ScenarioException.class, () -> loader.load("t.yaml",
                revocable("devices: {gpu0: {params: {revokable: false}}}")));
        assertTrue(param.getMessage().contains("revokable") && param.getMessage().contains("did you mean 'revocable'"),
                param.getMessage());
    }
}
