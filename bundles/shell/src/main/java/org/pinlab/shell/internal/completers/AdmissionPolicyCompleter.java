package org.pinlab.shell.internal.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Lab;

/** Completes the names of the admission policies registered now. */
@Service
public class AdmissionPolicyCompleter implements Completer {

    @Reference
    Lab lab;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        for (Implementation i : lab.available(Families.ADMISSION)) {
            names.getStrings().add(i.name());
        }
        return names.complete(session, commandLine, candidates);
    }
}
