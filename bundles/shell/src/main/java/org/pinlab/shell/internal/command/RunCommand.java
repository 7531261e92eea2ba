package org.pinlab.shell.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Runner;
import org.pinlab.scenarios.Scenario;
import org.pinlab.shell.internal.completers.CombinationCompleter;
import org.pinlab.shell.internal.completers.ScenarioCompleter;
import org.pinlab.shell.internal.lab.History;
import org.pinlab.shell.internal.lab.Registry;
import org.pinlab.shell.internal.lab.ScenarioStore;
import org.pinlab.sim.Schedulers;

@Service
@Command(scope = "pinlab", name = "run",
        description = "Runs one scenario under one strategy combination with one seed, and prints its findings and figures.")
public class RunCommand implements Action {

    @Reference
    ScenarioStore store;

    @Reference
    Registry registry;

    @Reference
    History history;

    @Argument(index = 0, name = "scenario", description = "A catalog scenario, a loaded one, or a YAML file", required = true)
    @Completion(ScenarioCompleter.class)
    String scenario;

    @Option(name = "-c", aliases = "--combination", description = "The strategy combination (default: the scenario's first)")
    @Completion(CombinationCompleter.class)
    String combination;

    @Option(name = "-s", aliases = "--seed", description = "The seed (default 1)")
    long seed = 1;

    @Option(name = "--dmesg", description = "Also print the kernel log of the run")
    boolean dmesg;

    @Override
    public Object execute() {
        RunResult r;
        try {
            Scenario s = store.get(scenario);
            String c = ScenarioStore.combination(s, combination);
            r = new Runner(registry.snapshot()).run(s, c, seed, Schedulers.random(seed));
        } catch (RuntimeException e) {
            throw CommandException.of(e);
        }
        Print.run(System.out, r);
        if (dmesg) {
            r.dmesg().forEach(line -> System.out.println("  " + line));
        }
        String again = "pinlab:run " + r.scenario() + " -c " + r.combination() + " -s " + r.seed();
        history.run("run", r, again);
        System.out.println("run it again: " + again);
        if (!r.findings().isEmpty()) {
            System.out.println("replay to the finding: pinlab:replay " + r.scenario() + " " + r.combination() + " "
                    + r.seed() + " '" + r.first().schedule() + "'");
        }
        return null;
    }
}
