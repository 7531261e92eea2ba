package org.pinlab.shell.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.scenarios.LiveRun;
import org.pinlab.shell.internal.lab.LiveService;

@Service
@Command(scope = "pinlab", name = "pins",
        description = "Lists the outstanding GUP grabs of the live machine: who holds which frames, how (FOLL_GET or "
                + "FOLL_PIN, long term or not) and since when.")
public class PinsCommand implements Action {

    @Reference
    LiveService live;

    @Option(name = "-n", description = "At most this many, oldest first (default 50)")
    int count = 50;

    @Override
    public Object execute() {
        CommandException.inRange("-n", count, 1, 1_000_000);
        LiveRun run = live.current();
        CommandException.check(run != null, "no live workload was started; start one with pinlab:live start");
        List<PinRecord> pins = run.pins();
        ShellTable table = new ShellTable();
        table.column("Grab");
        table.column("Owner");
        table.column("Pages").alignRight();
        table.column("Frames");
        table.column("Flags");
        table.column("Since");
        for (PinRecord r : pins.subList(0, Math.min(count, pins.size()))) {
            int[] pfns = r.pfns();
            String frames = pfns.length == 0 ? "" : pfns.length == 1 ? "pfn " + pfns[0]
                    : "pfn " + pfns[0] + ".." + pfns[pfns.length - 1];
            table.addRow().addContent("#" + r.id(), r.owner(), pfns.length, frames, Foll.describe(r.foll()),
                    Print.ns(r.takenAt()));
        }
        table.print(System.out);
        System.out.printf("%d outstanding grabs in boot %d%s%n", pins.size(), run.status().boots(),
                pins.size() > count ? " (first " + count + " shown)" : "");
        return null;
    }
}
