package org.pinlab.shell.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Lab;
import org.pinlab.shell.internal.completers.FamilyCompleter;
import org.pinlab.shell.internal.completers.ImplementationCompleter;

@Service
@Command(scope = "pinlab", name = "use",
        description = "Makes NAME the active implementation of FAMILY now (the same as config:property-set on PID org.pinlab.lab).")
public class UseCommand implements Action {

    @Reference
    Lab lab;

    @Argument(index = 0, name = "family", description = "The family, e.g. allocator", required = true)
    @Completion(FamilyCompleter.class)
    String family;

    @Argument(index = 1, name = "name", description = "The implementation to make active", required = true)
    @Completion(ImplementationCompleter.class)
    String name;

    @Override
    public Object execute() {
        try {
            Family<?> f = lab.family(family);
            String before = lab.configured(f);
            lab.use(f, name);
            System.out.println(family + ": " + before + " -> " + name);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }
}
