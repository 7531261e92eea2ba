package org.pinlab.shell.internal.command;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.pinlab.api.finding.Schedule;
import org.pinlab.api.lab.Lab;
import org.pinlab.scenarios.ChromeTrace;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Runner;
import org.pinlab.scenarios.Scenario;
import org.pinlab.shell.internal.completers.CombinationCompleter;
import org.pinlab.shell.internal.completers.ScenarioCompleter;
import org.pinlab.shell.internal.lab.History;
import org.pinlab.shell.internal.lab.ScenarioStore;
import org.pinlab.sim.Scheduler;
import org.pinlab.sim.Schedulers;

@Service
@Command(scope = "pinlab", name = "trace",
        description = "Runs a scenario again and writes its trace as Chrome trace-event JSON (open it in Perfetto or "
                + "chrome://tracing): tasks as tracks, steps as slices, findings as instant events.")
public class TraceCommand implements Action {

    @Reference
    ScenarioStore store;

    @Reference
    Lab lab;

    @Reference
    History history;

    @Argument(index = 0, name = "scenario", required = false,
            description = "The scenario (default: the last run, replay or exploration's failing run)")
    @Completion(ScenarioCompleter.class)
    String scenario;

    @Option(name = "-c", aliases = "--combination", description = "The strategy combination (default: the first)")
    @Completion(CombinationCompleter.class)
    String combination;

    @Option(name = "-s", aliases = "--seed", description = "The seed (default 1)")
    long seed = 1;

    @Option(name = "--schedule", description = "Replay this schedule instead of the seeded random scheduler")
    String schedule;

    @Option(name = "-o", aliases = "--output", required = true, description = "The JSON file to write")
    @Completion(FileCompleter.class)
    String output;

    @Option(name = "--max-events", description = "Keep at most this many events (default 1000000)")
    int maxEvents = ChromeTrace.DEFAULT_MAX_EVENTS;

    @Override
    public Object execute() {
        Path file = Path.of(output).toAbsolutePath();
        CommandException.check(file.getParent() != null && Files.isDirectory(file.getParent()),
                "-o: no such directory " + file.getParent());
        CommandException.seed("-s", seed);
        CommandException.inRange("--max-events", maxEvents, 1, 100_000_000);
        RunResult r;
        ChromeTrace trace;
        try {
            String name = scenario;
            String combo = combination;
            long s0 = seed;
            String sched = schedule;
            if (name == null) {
                RunResult last = history.lastRun();
                CommandException.check(last != null, "nothing ran yet: name a scenario, e.g. pinlab:trace "
                        + "-o trace.json seed-001-rdma-ext4");
                name = last.scenario();
                combo = last.combination();
                s0 = last.seed();
                sched = last.scheduler().startsWith("replay") ? last.schedule().toString() : null;
            }
            Scenario s = store.get(name);
            String c = ScenarioStore.combination(s, combo);
            Scheduler scheduler;
            try {
                scheduler = sched != null
                        ? Schedulers.replay(Schedule.parse(sched), Schedulers.earliestFirst()) : Schedulers.random(s0);
            } catch (IllegalArgumentException e) {
                throw new CommandException("bad schedule: " + e.getMessage());
            }
            trace = new ChromeTrace(maxEvents, s.name() + " / " + c + " / seed " + s0);
            r = new Runner(lab.bound()).run(s, c, s0, scheduler, trace);
        } catch (RuntimeException e) {
            throw CommandException.of(e);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            trace.write(w);
        } catch (IOException e) {
            throw new CommandException("-o: cannot write " + file + ": " + e.getMessage());
        }
        System.out.printf("%s / %s seed %d: %,d steps, %d events written%s, findings: %s%n", r.scenario(),
                r.combination(), r.seed(), trace.steps(), trace.events(),
                trace.droppedSteps() > 0 ? " (" + trace.droppedSteps() + " steps dropped at the limit)" : "",
                Print.kinds(r.counts()));
        System.out.println("wrote " + file + "; open it in https://ui.perfetto.dev or chrome://tracing");
        return null;
    }
}
