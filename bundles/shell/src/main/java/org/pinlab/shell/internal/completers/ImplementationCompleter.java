package org.pinlab.shell.internal.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Lab;

/** Completes implementation names of the family given as the command's first argument. */
@Service
public class ImplementationCompleter implements Completer {

    @Reference
    Lab lab;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        String[] args = commandLine.getArguments();
        // args[0] is the command itself; the family is the first argument after it
        String family = args.length > 1 ? args[1] : null;
        StringsCompleter names = new StringsCompleter();
        Family<?> f = family == null ? null : Families.byName(family).orElse(null);
        if (f != null) {
            for (Implementation i : lab.available(f)) {
                names.getStrings().add(i.name());
            }
        }
        return names.complete(session, commandLine, candidates);
    }
}
