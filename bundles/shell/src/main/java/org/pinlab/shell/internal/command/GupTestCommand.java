package org.pinlab.shell.internal.command;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.pinlab.api.families.Families;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Lab;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.kernel.selftests.GupTest;

@Service
@Command(scope = "pinlab", name = "gup-test",
        description = "The model's gup_test (tools/testing/selftests/mm/gup_test): pins and unpins -m MB of anonymous "
                + "memory -n pages per call and prints 'Time: get:G put:P us' like the selftest, with the lab's "
                + "pin layout and allocator; -c dumps chosen pages (dump_page) to the kernel log it prints.")
public class GupTestCommand implements Action {

    @Reference
    Lab lab;

    @Option(name = "-m", description = "Size in MB (default 128)")
    Integer megabytes;

    @Option(name = "-n", description = "Pages per call (default 1; negative: the whole buffer)")
    Integer pagesPerCall;

    @Option(name = "-r", description = "Repeats (default 1)")
    Integer repeats;

    @Option(name = "-a", description = "PIN_FAST_BENCHMARK: pin_user_pages_fast")
    boolean pinFast;

    @Option(name = "-b", description = "PIN_BASIC_TEST: pin_user_pages")
    boolean pinBasic;

    @Option(name = "-L", description = "PIN_LONGTERM_BENCHMARK: pin_user_pages with FOLL_LONGTERM")
    boolean pinLongterm;

    @Option(name = "-u", description = "GUP_FAST_BENCHMARK: get_user_pages_fast (the default)")
    boolean gupFast;

    @Option(name = "-U", description = "GUP_BASIC_TEST: get_user_pages")
    boolean gupBasic;

    @Option(name = "-c", description = "DUMP_USER_PAGES_TEST: get_user_pages, then dump_page of page 0 or of the PAGEs given")
    boolean dumpPages;

    @Option(name = "-p", description = "With -c: pin_user_pages instead of get_user_pages")
    boolean dumpWithPin;

    @Option(name = "-t", description = "THP on (MADV_HUGEPAGE)")
    boolean thp;

    @Option(name = "-T", description = "THP off (MADV_NOHUGEPAGE)")
    boolean noThp;

    @Option(name = "-H", description = "hugetlb (modelled as order-9 folios)")
    boolean hugetlb;

    @Option(name = "-w", description = "FOLL_WRITE (on by default, as in the selftest)")
    boolean write;

    @Option(name = "-W", description = "Without FOLL_WRITE")
    boolean noWrite;

    @Option(name = "-S", description = "MAP_SHARED (modelled as private anonymous memory)")
    boolean shared;

    @Argument(index = 0, name = "pages", multiValued = true,
            description = "With -c: up to 8 page numbers to dump, 0-based (decimal, 0x hex or 0 octal)")
    List<String> pages;

    @Override
    public Object execute() {
        List<String> args = new ArrayList<>();
        if (megabytes != null) {
            args.add("-m");
            args.add(megabytes.toString());
        }
        if (pagesPerCall != null) {
            args.add("-n");
            args.add(pagesPerCall.toString());
        }
        if (repeats != null) {
            args.add("-r");
            args.add(repeats.toString());
        }
        flag(args, pinFast, "-a");
        flag(args, pinBasic, "-b");
        flag(args, pinLongterm, "-L");
        flag(args, gupFast, "-u");
        flag(args, gupBasic, "-U");
        flag(args, dumpPages, "-c");
        flag(args, dumpWithPin, "-p");
        flag(args, thp, "-t");
        flag(args, noThp, "-T");
        flag(args, hugetlb, "-H");
        flag(args, write, "-w");
        flag(args, noWrite, "-W");
        flag(args, shared, "-S");
        if (pages != null) {
            args.addAll(pages);
        }
        GupTest.Result result;
        try {
            GupTest.Options options = GupTest.parse(args.toArray(new String[0]));
            Implementations impls = lab.bound();
            PinTracker layout = impls.get(Families.PIN_LAYOUT, lab.configured(Families.PIN_LAYOUT));
            PageAllocator allocator = impls.get(Families.ALLOCATOR, lab.configured(Families.ALLOCATOR));
            result = new GupTest(options, layout, allocator).run();
        } catch (IllegalArgumentException e) {
            throw CommandException.of(e);
        }
        System.out.print(result.format());
        return null;
    }

    private static void flag(List<String> args, boolean on, String flag) {
        if (on) {
            args.add(flag);
        }
    }
}
