package org.pinlab.shell.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.pinlab.api.finding.Schedule;
import org.pinlab.api.lab.Lab;
import org.pinlab.scenarios.Explorer;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Scenario;
import org.pinlab.shell.internal.completers.CombinationCompleter;
import org.pinlab.shell.internal.completers.ScenarioCompleter;
import org.pinlab.shell.internal.lab.History;
import org.pinlab.shell.internal.lab.ScenarioStore;

@Service
@Command(scope = "pinlab", name = "replay",
        description = "Replays a recorded schedule exactly (the command explore and run print), and prints the finding "
                + "and the trace hash.")
public class ReplayCommand implements Action {

    @Reference
    ScenarioStore store;

    @Reference
    Lab lab;

    @Reference
    History history;

    @Argument(index = 0, name = "scenario", required = true, description = "The scenario")
    @Completion(ScenarioCompleter.class)
    String scenario;

    @Argument(index = 1, name = "combination", required = true, description = "The strategy combination")
    @Completion(CombinationCompleter.class)
    String combination;

    @Argument(index = 2, name = "seed", required = true, description = "The seed of the recorded run")
    long seed;

    @Argument(index = 3, name = "schedule", required = false,
            description = "The preemptions explore printed (@decision:candidate,..., quoted), or a full recorded "
                    + "schedule; none: the earliest ready task at every decision")
    String schedule;

    @Override
    public Object execute() {
        CommandException.seed("seed", seed);
        RunResult r;
        try {
            Scenario s = store.get(scenario);
            String c = ScenarioStore.combination(s, combination);
            Explorer x = new Explorer(lab.bound());
            if (schedule == null || Explorer.isPreemptions(schedule)) {
                r = x.replayPreemptions(s, c, seed, schedule == null ? "" : schedule);
            } else {
                Schedule sched;
                try {
                    sched = Schedule.parse(schedule);
                } catch (IllegalArgumentException e) {
                    throw new CommandException("bad schedule: " + e.getMessage()
                            + " (give the @decision:candidate list explore prints, or a full recorded schedule)");
                }
                r = x.replay(s, c, seed, sched);
            }
        } catch (RuntimeException e) {
            throw CommandException.of(e);
        }
        String again = "pinlab:replay " + r.scenario() + " " + r.combination() + " " + r.seed()
                + (schedule == null ? "" : " '" + schedule + "'");
        history.run("replay", r, again);
        Print.run(System.out, r);
        return null;
    }
}
