package org.pinlab.shell.internal.completers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.pinlab.api.device.Parameters;
import org.pinlab.api.finding.FindingKind;

/** Completes finding kinds (BUG, LOST_WRITE, ...). */
@Service
public class FindingKindCompleter implements Completer {

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(names()).complete(session, commandLine, candidates);
    }

    static List<String> names() {
        List<String> out = new ArrayList<>();
        for (FindingKind k : FindingKind.values()) {
            out.add(k.name());
        }
        return out;
    }

    /**
     * A finding kind by name, in any case.
     *
     * @throws IllegalArgumentException naming the nearest kind and every valid one
     */
    public static FindingKind kind(String name) {
        try {
            return FindingKind.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            String near = Parameters.nearest(name.toUpperCase(Locale.ROOT), names());
            throw new IllegalArgumentException("unknown finding kind '" + name + "'"
                    + (near != null ? " (did you mean " + near + "?)" : "") + "; kinds: " + String.join(", ", names()));
        }
    }
}
