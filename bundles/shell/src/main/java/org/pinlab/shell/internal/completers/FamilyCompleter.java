package org.pinlab.shell.internal.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Lab;

/** Completes the names of pluggable families. */
@Service
public class FamilyCompleter implements Completer {

    @Reference
    Lab lab;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(lab.families().stream().filter(Family::isChosen).map(Family::name).toList()).complete(session, commandLine, candidates);
    }
}
