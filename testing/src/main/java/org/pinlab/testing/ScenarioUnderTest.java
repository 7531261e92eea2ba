package org.pinlab.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.pinlab.api.device.Parameters;
import org.pinlab.api.lab.Implementations;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Runner;
import org.pinlab.scenarios.Scenario;
import org.pinlab.sim.Schedulers;

/** A loaded scenario and the implementations it runs against; {@link Scenarios} makes one. */
public final class ScenarioUnderTest {

    private final Scenario scenario;
    private final Implementations impls;
    private final String replayName;

    ScenarioUnderTest(Scenario scenario, Implementations impls, String replayName) {
        this.scenario = scenario;
        this.impls = Objects.requireNonNull(impls, "impls");
        this.replayName = replayName;
    }

    public Scenario scenario() {
        return scenario;
    }

    public Implementations implementations() {
        return impls;
    }

    /** The scenario's combination names, in declared order. */
    public List<String> combinations() {
        return List.copyOf(scenario.combinations().keySet());
    }

    /**
     * Runs one combination on each of {@code seeds}, as {@code pinlab:run -c COMBINATION -s SEED}
     * does (the seeded random scheduler of that seed), one run after the other.
     *
     * @throws IllegalArgumentException naming the valid combinations if there is none of that name
     */
    public Outcome run(String combination, Seeds seeds) {
        Objects.requireNonNull(seeds, "seeds");
        if (!scenario.combinations().containsKey(combination)) {
            String near = combination == null ? null : Parameters.nearest(combination, combinations());
            throw new IllegalArgumentException("scenario " + scenario.name() + " has no combination '" + combination
                    + "'" + (near != null ? " (did you mean '" + near + "'?)" : "") + "; combinations: "
                    + String.join(", ", combinations()));
        }
        Map<String, List<RunResult>> results = new LinkedHashMap<>();
        results.put(combination, runs(combination, seeds));
        return new Outcome(scenario, replayName, seeds, results);
    }

    /** Runs every combination, in declared order, on each of {@code seeds}. */
    public Outcome runAll(Seeds seeds) {
        Objects.requireNonNull(seeds, "seeds");
        Map<String, List<RunResult>> results = new LinkedHashMap<>();
        for (String c : combinations()) {
            results.put(c, runs(c, seeds));
        }
        return new Outcome(scenario, replayName, seeds, results);
    }

    private List<RunResult> runs(String combination, Seeds seeds) {
        Runner runner = new Runner(impls);
        return seeds.stream().mapToObj(seed -> runner.run(scenario, combination, seed, Schedulers.random(seed)))
                .toList();
    }
}
