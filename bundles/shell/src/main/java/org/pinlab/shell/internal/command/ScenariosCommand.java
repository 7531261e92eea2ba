package org.pinlab.shell.internal.command;

import java.nio.file.Path;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.support.table.ShellTable;
import org.pinlab.shell.internal.lab.ScenarioStore;

@Service
@Command(scope = "pinlab", name = "scenarios",
        description = "Lists the catalog and the loaded scenario files, with the seed each cites and its combinations.")
public class ScenariosCommand implements Action {

    @Reference
    ScenarioStore store;

    @Option(name = "-l", aliases = "--load", multiValued = true,
            description = "Load a scenario file (YAML) first; it can then be named like a catalog scenario")
    @Completion(FileCompleter.class)
    List<String> load;

    @Override
    public Object execute() {
        if (load != null) {
            for (String file : load) {
                try {
                    System.out.println("loaded " + store.load(Path.of(file)).name() + " from " + file);
                } catch (RuntimeException e) {
                    throw CommandException.of(e);
                }
            }
        }
        ShellTable table = new ShellTable();
        table.column("Scenario");
        table.column("Cites").maxSize(60).wrap();
        table.column("Combinations").maxSize(40).wrap();
        table.column("Source");
        for (ScenarioStore.Listing l : store.list()) {
            table.addRow().addContent(l.name(), l.error() != null ? "cannot load now: " + l.error() : l.cites(),
                    String.join(", ", l.combinations()), l.source());
        }
        table.print(System.out);
        return null;
    }
}
