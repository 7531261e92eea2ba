package org.pinlab.shell.internal.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.pinlab.shell.internal.lab.ScenarioStore;

/** Completes the combinations of the scenario named earlier on the command line. */
@Service
public class CombinationCompleter implements Completer {

    @Reference
    ScenarioStore store;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        List<String> scenarios = store.names();
        String[] args = commandLine.getArguments();
        for (int i = 1; i < args.length && i < commandLine.getCursorArgumentIndex(); i++) {
            if (scenarios.contains(args[i])) {
                try {
                    names.getStrings().addAll(store.get(args[i]).combinations().keySet());
                } catch (RuntimeException e) {
                    // a scenario that does not load now has nothing to complete
                }
                break;
            }
        }
        return names.complete(session, commandLine, candidates);
    }
}
