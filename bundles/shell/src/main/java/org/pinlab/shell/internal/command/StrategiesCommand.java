package org.pinlab.shell.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Lab;
import org.pinlab.shell.internal.completers.FamilyCompleter;

@Service
@Command(scope = "pinlab", name = "strategies",
        description = "Lists every family with an active choice, its available"
                + " implementations and the active one (*); pinlab:types lists the filesystem and device types too.")
public class StrategiesCommand implements Action {

    @Reference
    Lab lab;

    @Argument(index = 0, name = "family", description = "Only this family", required = false)
    @Completion(FamilyCompleter.class)
    String family;

    @Override
    public Object execute() {
        List<Family<?>> families;
        try {
            families = family == null ? Families.chosen() : List.of(chosen(lab.family(family)));
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        ShellTable table = new ShellTable();
        table.column("Family");
        table.column("Name");
        table.column("Active");
        table.column("Description").maxSize(80).wrap();
        for (Family<?> f : families) {
            List<Implementation> impls = lab.available(f);
            if (impls.isEmpty()) {
                table.addRow().addContent(f.name(), "(none registered)", "",
                        "configured: " + lab.configured(f) + "; in force: " + lab.effective(f));
            }
            for (Implementation i : impls) {
                table.addRow().addContent(f.name(), i.name(), i.active() ? "*" : "", i.description());
            }
        }
        table.print(System.out);
        return null;
    }

    private static Family<?> chosen(Family<?> f) {
        CommandException.check(f.isChosen(), "the " + f.name() + " family has no active choice: "
                + f.description());
        return f;
    }
}
