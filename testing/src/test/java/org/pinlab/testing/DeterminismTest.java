package org.pinlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.pinlab.testing.Seeds.seeds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.scenarios.Catalog;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Runner;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.ScenarioLoader;
import org.pinlab.sim.Schedulers;

/** The scenario API runs exactly what pinlab:run and the scenarios module's Runner run. */
class DeterminismTest {

    /** The scenarios module's record of every catalog run: {@code scenario combination seed hash steps findings}. */
    private static final Path RECORDED =
            Path.of("../bundles/scenarios/src/test/resources/org/pinlab/scenarios/trace-hashes.txt");

    /**
     * The record is made with unversioned implementations; the kit finds them in bundles that
     * carry a Bundle-Version, which every trace hash covers. With the versions dropped the
     * kit's runs are the recorded ones to the hash; with them, the same steps and findings
     * under other hashes.
     */
    @Test
    void everyRunOfSeed001MatchesTheTraceHashStepsAndFindingsTheRepositoryRecords() throws IOException {
        List<String> recorded = Files.readAllLines(RECORDED).stream()
                .filter(l -> l.startsWith("seed-001-rdma-ext4 ")).toList();
        assertEquals(40, recorded.size());
        Implementations versioned = Scenarios.implementations();
        List<String> unversioned = lines(Scenarios.catalog("seed-001-rdma-ext4", withoutVersions(versioned))
                .runAll(seeds(1, 20)));
        assertEquals(recorded, unversioned);
        List<String> kit = lines(Scenarios.catalog("seed-001-rdma-ext4").runAll(seeds(1, 20)));
        for (int i = 0; i < recorded.size(); i++) {
            String[] was = recorded.get(i).split(" ");
            String[] is = kit.get(i).split(" ");
            assertEquals(was[4] + " " + was[5], is[4] + " " + is[5], "steps and findings of " + kit.get(i));
            assertNotEquals(was[3], is[3], "the bundle versions are part of the hash: " + kit.get(i));
        }
    }

    private static List<String> lines(Outcome all) {
        List<String> now = new ArrayList<>();
        for (RunResult r : all.results()) {
            now.add(String.join(" ", r.scenario(), r.combination(), Long.toString(r.seed()),
                    String.format("%016x", r.traceHash()), Long.toString(r.steps()), counts(r)));
        }
        return now;
    }

    private static Implementations withoutVersions(Implementations versioned) {
        Implementations out = new Implementations();
        for (Family<?> f : Families.ALL) {
            for (String name : versioned.names(f)) {
                assertFalse(versioned.version(f, name).isEmpty(), "the kit knows the version of " + name);
                copy(out, f, versioned.get(f, name));
            }
        }
        return out;
    }

    private static <T extends Pluggable> void copy(Implementations out, Family<T> f, Pluggable p) {
        out.add(f, f.cast(p));
    }

    @Test
    void theSameCallTwiceGivesTheSameTraceHashes() {
        Outcome first = Scenarios.load(Path.of("src/test/resources/scenarios/author-rdma-ext4.yaml"))
                .runAll(seeds(1, 4));
        Outcome again = Scenarios.load(Path.of("src/test/resources/scenarios/author-rdma-ext4.yaml"))
                .runAll(seeds(1, 4));
        for (String c : first.combinations()) {
            assertEquals(first.traceHashes(c), again.traceHashes(c));
        }
        assertEquals(4, first.traceHashes("legacy").values().stream().distinct().count());
    }

    @Test
    void aRunEqualsTheScenariosRunnersRunOfTheSameScenarioCombinationAndSeed() {
        Scenario s = new ScenarioLoader(Scenarios.implementations())
                .load("catalog:seed-001-rdma-ext4", Catalog.yaml("seed-001-rdma-ext4"));
        RunResult direct = new Runner(Scenarios.implementations()).run(s, "legacy", 1, Schedulers.random(1));
        RunResult kit = Scenarios.catalog("seed-001-rdma-ext4").run("legacy", Seeds.seed(1)).result("legacy", 1);
        assertEquals(0x9ce1aa665f7e5543L, direct.traceHash());
        assertEquals(direct.traceHash(), kit.traceHash());
        assertEquals(direct.steps(), kit.steps());
        assertEquals(direct.findings(), kit.findings());
        assertEquals(direct.stats(), kit.stats());
        assertEquals(direct.schedule(), kit.schedule());
    }

    private static String counts(RunResult r) {
        StringBuilder b = new StringBuilder();
        r.counts().forEach((k, n) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(n));
        return b.length() == 0 ? "-" : b.toString();
    }
}
