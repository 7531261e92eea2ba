package org.pinlab.shell.internal.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.pinlab.kernel.selftests.GupLongterm;

/** Completes the words that pick out groups of gup_longterm's tests: ext4, MAP_PRIVATE, io_uring... */
@Service
public class GupLongtermFilterCompleter implements Completer {

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(GupLongterm.FILTER_WORDS).complete(session, commandLine, candidates);
    }
}
