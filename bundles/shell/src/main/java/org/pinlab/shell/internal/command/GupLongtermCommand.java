package org.pinlab.shell.internal.command;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.pinlab.api.device.Parameters;
import org.pinlab.api.families.Families;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Lab;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.selftests.GupLongterm;
import org.pinlab.shell.internal.completers.AdmissionPolicyCompleter;
import org.pinlab.shell.internal.completers.GupLongtermFilterCompleter;

@Service
@Command(scope = "pinlab", name = "gup-longterm",
        description = "The model's gup_longterm (tools/testing/selftests/mm/gup_longterm): R/W and R/O long-term pins "
                + "through GUP, GUP-fast and io_uring, of MAP_SHARED and MAP_PRIVATE files on memfd, tmpfile, ext4, "
                + "xfs, btrfs and fsdax, each checked against what Linux 6.12 answers; prints TAP like the selftest. "
                + "Runs under the admission rule of Linux 6.12 (no-longterm-file-write) and the lab's other "
                + "policies, pin layout, allocator and filesystem types; --lab takes the lab's admission too.")
public class GupLongtermCommand implements Action {

    @Reference
    Lab lab;

    /** The admission rule of the kernel the cells' expectations come from (Linux 6.5 and later). */
    static final String KERNEL_ADMISSION = "no-longterm-file-write";

    @Option(name = "-a", aliases = "--admission",
            description = "The admission policy (check_vma_flags) to run against instead of Linux 6.12's "
                    + KERNEL_ADMISSION + ", e.g. allow (the kernel before 6.5)")
    @Completion(AdmissionPolicyCompleter.class)
    String admission;

    @Option(name = "--lab", description = "Run against the lab's active admission policy (pinlab:use admission)")
    boolean useLab;

    @Option(name = "-l", aliases = "--list", description = "List the tests the filter picks instead of running them")
    boolean list;

    @Argument(index = 0, name = "filter", multiValued = true,
            description = "Run only the tests whose name contains every one of these, case ignored: ext4, "
                    + "MAP_PRIVATE, GUP-fast, io_uring, 'GUP pin' (quoted: the slow path alone)...")
    @Completion(GupLongtermFilterCompleter.class)
    List<String> filter;

    @Override
    public Object execute() {
        CommandException.check(admission == null || !useLab, "-a and --lab both choose the admission policy;"
                + " give one of them");
        List<String> words = filter == null ? List.of() : filter;
        if (list) {
            List<String> names = GupLongterm.cellNames(words);
            CommandException.check(!names.isEmpty(), "filter: no test matches '" + String.join(" ", words)
                    + "'; pinlab:gup-longterm -l lists them all");
            for (int i = 0; i < names.size(); i++) {
                System.out.println((i + 1) + " " + names.get(i));
            }
            return null;
        }
        GupLongterm.Result result;
        try {
            Implementations impls = lab.bound();
            PinTracker layout = impls.get(Families.PIN_LAYOUT, lab.configured(Families.PIN_LAYOUT));
            PageAllocator allocator = impls.get(Families.ALLOCATOR, lab.configured(Families.ALLOCATOR));
            result = new GupLongterm(choices(impls), layout, allocator, impls).run(words);
        } catch (IllegalArgumentException e) {
            throw CommandException.of(e);
        }
        System.out.print(result.format());
        return null;
    }

    /**
     * The policies the lab has active, each registered one by name (a family whose bundle is
     * stopped takes the kernel's built-in behaviour), with {@code -a}'s admission policy, or
     * Linux 6.12's unless {@code --lab}.
     */
    private Choices choices(Implementations impls) {
        Map<Family<?>, Pluggable> chosen = new IdentityHashMap<>();
        for (Family<?> family : Families.swappedAt(Family.Swap.NEXT_DECISION)) {
            String name = lab.configured(family);
            if (impls.has(family, name)) {
                chosen.put(family, impls.get(family, name));
            }
        }
        String rule = admission != null ? admission : useLab ? null : KERNEL_ADMISSION;
        if (rule != null) {
            List<String> names = impls.names(Families.ADMISSION);
            if (!names.contains(rule)) {
                String near = Parameters.nearest(rule, names);
                throw new CommandException((admission != null ? "-a: no admission policy named '" + rule + "'"
                        + (near != null ? " (did you mean '" + near + "'?)" : "")
                        : "Linux 6.12's admission policy " + rule + " is not registered (is the strategies bundle"
                        + " started?); --lab runs under the lab's") + "; available: " + String.join(", ", names));
            }
            chosen.put(Families.ADMISSION, impls.get(Families.ADMISSION, rule));
        }
        return Choices.fixed(chosen);
    }
}
