package org.pinlab.shell.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.pinlab.api.families.Families;
import org.pinlab.scenarios.LiveRun;
import org.pinlab.shell.internal.lab.History;
import org.pinlab.shell.internal.lab.LiveService;

@Service
@Command(scope = "pinlab", name = "findings",
        description = "Lists the findings of the last runs, explorations and comparisons (or of the live workload), "
                + "each with the command that shows it again.")
public class FindingsCommand implements Action {

    @Reference
    History history;

    @Reference
    LiveService live;

    @Option(name = "-n", description = "How many, newest last (default 20)")
    int count = 20;

    @Option(name = "--live", description = "The live workload's findings instead")
    boolean ofLive;

    @Override
    public Object execute() {
        CommandException.inRange("-n", count, 1, 100_000);
        ShellTable table = new ShellTable();
        if (ofLive) {
            LiveRun run = live.current();
            CommandException.check(run != null, "no live workload was started; start one with pinlab:live start");
            table.column("Boot");
            table.column("Seed");
            table.column("Kind");
            table.column("Time");
            table.column("Message").maxSize(70).wrap();
            table.column("Release");
            List<LiveRun.LiveFinding> all = run.findings();
            for (LiveRun.LiveFinding f : all.subList(Math.max(0, all.size() - count), all.size())) {
                table.addRow().addContent(f.boot(), f.seed(), f.finding().kind(), Print.ns(f.finding().timeNs()),
                        f.finding().message(), f.choices().get(Families.RELEASE.name()));
            }
            table.print(System.out);
            return null;
        }
        List<History.Entry> entries = history.last(count);
        if (entries.isEmpty()) {
            System.out.println("no findings yet: try pinlab:run seed-001-rdma-ext4");
            return null;
        }
        table.column("#");
        table.column("From");
        table.column("Scenario");
        table.column("Combination");
        table.column("Seed");
        table.column("Kind");
        table.column("Message").maxSize(60).wrap();
        table.column("Again").maxSize(70).wrap();
        for (History.Entry e : entries) {
            table.addRow().addContent(e.number(), e.origin(), e.scenario(), e.combination(), e.seed(), e.kind(),
                    e.message(), e.replay());
        }
        table.print(System.out);
        return null;
    }
}
