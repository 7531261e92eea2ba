package org.pinlab.shell.internal.completers;

import java.util.Arrays;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.pinlab.scenarios.report.Format;

/** Completes the formats a report is written in, as {@link Format} names them. */
@Service
public class ReportFormatCompleter implements Completer {

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> ids = Arrays.stream(Format.values()).filter(Format::rendersReports).map(Format::id).toList();
        return new StringsCompleter(ids).complete(session, commandLine, candidates);
    }
}
