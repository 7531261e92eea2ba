package org.pinlab.shell.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Lab;

/** What a bundle author checks after deploying: which SPI types exist and who implements them now. */
@Service
@Command(scope = "pinlab", name = "types",
        description = "Lists every SPI type pinlab plugs in, its family, and each bound implementation with the"
                + " bundle and version that registered it (* marks a chosen family's active one).")
public class TypesCommand implements Action {

    @Reference
    Lab lab;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("SPI type");
        table.column("Family");
        table.column("Implementation");
        table.column("Active");
        table.column("Bundle");
        table.column("Version");
        for (Family<?> f : lab.families()) {
            String type = f.type().getName();
            var impls = lab.available(f);
            if (impls.isEmpty()) {
                table.addRow().addContent(type, f.name(), "(none registered)", "", "", "");
            }
            for (Implementation i : impls) {
                table.addRow().addContent(type, f.name(), i.name(), i.active() ? "*" : "", i.bundle(),
                        i.bundleVersion());
            }
        }
        table.print(System.out);
        return null;
    }
}
