package org.pinlab.shell.internal.command;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Lab;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Runner;
import org.pinlab.scenarios.Scenario;
import org.pinlab.shell.internal.completers.CombinationCompleter;
import org.pinlab.shell.internal.completers.ScenarioCompleter;
import org.pinlab.shell.internal.lab.History;
import org.pinlab.shell.internal.lab.ScenarioStore;
import org.pinlab.sim.Schedulers;

@Service
@Command(scope = "pinlab", name = "run",
        description = "Runs one scenario under one strategy combination with one seed, and prints its findings and figures.")
public class RunCommand implements Action {

    @Reference
    ScenarioStore store;

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

    @Option(name = "-l", aliases = "--lab",
            description = "Run under the lab's active strategies (what pinlab:use chose) instead of a combination")
    boolean useLab;

    @Reference
    Lab lab;

    @Override
    public Object execute() {
        RunResult r;
        CommandException.seed("-s", seed);
        try {
            Scenario s = store.get(scenario);
            String c;
            if (useLab) {
                CommandException.check(combination == null, "give either -c or --lab, not both");
                s = labCombination(s, lab);
                c = LAB;
            } else {
                c = ScenarioStore.combination(s, combination);
            }
            r = new Runner(lab.bound()).run(s, c, seed, Schedulers.random(seed));
        } catch (RuntimeException e) {
            throw CommandException.of(e);
        }
        Print.run(System.out, r);
        if (dmesg) {
            r.dmesg().forEach(line -> System.out.println("  " + line));
        }
        String again = "pinlab:run " + (useLab ? "--lab" : "-c " + r.combination()) + " -s " + r.seed() + " "
                + r.scenario();
        history.run("run", r, again);
        System.out.println("run it again: " + again);
        return null;
    }

    /** The combination name of a run under the lab's active strategies. */
    static final String LAB = "lab";

    /**
     * The scenario with one more combination, {@value #LAB}: the implementation in force per
     * family now. A family whose implementations are all gone (its bundle stopped) is refused.
     */
    static Scenario labCombination(Scenario s, Lab lab) {
        Map<String, String> chosen = new LinkedHashMap<>();
        for (Family<?> family : Families.chosen()) {
            String name = lab.effective(family);
            CommandException.check(!name.endsWith("(built-in)") && !name.equals("none"),
                    "no " + family + " implementation is registered (is its bundle started?)");
            chosen.put(family.name(), name);
        }
        return s.withCombination(LAB, chosen);
    }
}
