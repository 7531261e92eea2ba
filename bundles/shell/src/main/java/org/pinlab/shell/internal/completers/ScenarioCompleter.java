package org.pinlab.shell.internal.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.pinlab.shell.internal.lab.ScenarioStore;

/** Completes scenario names: the catalog and the loaded files. */
@Service
public class ScenarioCompleter implements Completer {

    @Reference
    ScenarioStore store;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(store.names()).complete(session, commandLine, candidates);
    }
}
