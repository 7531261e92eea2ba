package org.pinlab.kernel.selftests;

import static org.pinlab.kernel.selftests.GupTest.USAGE;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.pinlab.kernel.selftests.GupTest.Command;
import org.pinlab.kernel.selftests.GupTest.Options;
import org.pinlab.kernel.selftests.GupTest.Thp;

/** gup_test's command line, parsed as the selftest's {@code getopt} loop parses it. */
final class GupTestGetopt {

    /** See {@link GupTest#parse}. */
    static GupTest.Options parse(String... args) {
        Getopt g = new Getopt();
        // GNU getopt moves the arguments that are not options to the end: the page numbers
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = Objects.requireNonNull(args[i], "argument");
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                operands.add(arg);
                continue;
            }
            for (int j = 1; j < arg.length(); j++) {
                char c = arg.charAt(j);
                if (c == 'm' || c == 'n' || c == 'r') {
                    g.number(c, j + 1 < arg.length() ? arg.substring(j + 1) : ++i < args.length ? args[i] : null);
                    break; // the value ends this argument
                }
                g.flag(c);
            }
        }
        if (g.command != Command.DUMP_USER_PAGES_TEST) {
            g.dumpPages = List.of(); // a later command flag overrides -c, and its page 0 with it
        }
        if (!operands.isEmpty()) {
            if (g.command != Command.DUMP_USER_PAGES_TEST) {
                throw new IllegalArgumentException("gup_test: unexpected argument '" + operands.get(0) + "' (page"
                        + " numbers go with -c); valid: " + USAGE);
            }
            if (operands.size() > GupTest.MAX_PAGES_TO_DUMP) {
                throw new IllegalArgumentException("gup_test: at most " + GupTest.MAX_PAGES_TO_DUMP + " page numbers"
                        + " (GUP_TEST_MAX_PAGES_TO_DUMP), got " + operands.size() + "; valid: " + USAGE);
            }
            // from .which_pages[0] on: they replace -c's page 0
            g.dumpPages = operands.stream().map(GupTestGetopt::pageNumber).toList();
        }
        return new Options(g.megabytes, g.pagesPerCall, g.repeats, g.command, g.thp, g.hugetlb, g.write, g.shared,
                g.dumpPages, g.dumpWithPin);
    }

    /**
     * A page number as the selftest reads it, {@code strtol(arg, 0, 0)}: {@code 0x} hex, a
     * leading {@code 0} octal, else decimal. Strictly: anything else, or a number past what a
     * buffer of the model can hold, is an error.
     */
    static int pageNumber(String arg) {
        int radix = 10;
        String digits = arg;
        if (arg.startsWith("0x") || arg.startsWith("0X")) {
            radix = 16;
            digits = arg.substring(2);
        } else if (arg.length() > 1 && arg.startsWith("0")) {
            radix = 8;
            digits = arg.substring(1);
        }
        long n;
        try {
            if (digits.isEmpty() || !Character.isLetterOrDigit(digits.charAt(0))) {
                throw new NumberFormatException(arg);
            }
            n = Long.parseLong(digits, radix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gup_test: page number '" + arg + "' is not a number (decimal, 0x hex"
                    + " or 0 octal); valid: " + USAGE);
        }
        if (n > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("gup_test: page number " + arg + " is past any buffer the model maps"
                    + " (at most " + (Integer.MAX_VALUE - 1) + "); valid: " + USAGE);
        }
        return (int) n;
    }

    /** The selftest's option variables as its getopt loop sets them, starting from the defaults. */
    private static final class Getopt {
        int megabytes = Options.DEFAULTS.megabytes();
        int pagesPerCall = Options.DEFAULTS.pagesPerCall();
        int repeats = Options.DEFAULTS.repeats();
        Command command = Options.DEFAULTS.command();
        Thp thp = Options.DEFAULTS.thp();
        boolean hugetlb = Options.DEFAULTS.hugetlb();
        boolean write = Options.DEFAULTS.write();
        boolean shared = Options.DEFAULTS.shared();
        List<Integer> dumpPages = Options.DEFAULTS.dumpPages();
        boolean dumpWithPin = Options.DEFAULTS.dumpWithPin();

        void number(char flag, String value) {
            int n;
            try {
                n = Integer.parseInt(value == null ? "" : value);
            } catch (NumberFormatException e) {
                String what = flag == 'm' ? "a size in MB" : flag == 'n' ? "a number of pages per call" : "a repeat count";
                throw new IllegalArgumentException("gup_test: -" + flag + " wants " + what + ", got "
                        + (value == null ? "nothing" : "'" + value + "'") + "; valid: " + USAGE);
            }
            if (flag == 'm') {
                megabytes = n;
            } else if (flag == 'r') {
                repeats = n;
            } else if (n == 0) {
                throw new IllegalArgumentException("gup_test: -n 0 grabs nothing; valid: " + USAGE);
            } else {
                // as the selftest: nr_pages = size / psize() with the size given so far
                pagesPerCall = n > 0 ? n : (int) Math.min(Integer.MAX_VALUE, (long) megabytes * GupTest.PAGES_PER_MB);
            }
        }

        void flag(char flag) {
            for (Command c : Command.values()) {
                if (c.option() == flag) {
                    command = c;
                    if (c == Command.DUMP_USER_PAGES_TEST) {
                        dumpPages = List.of(0); // "Dump page 0 (index 1). May be overridden later"
                    }
                    return;
                }
            }
            switch (flag) {
                case 't' -> thp = Thp.HUGEPAGE;
                case 'T' -> thp = Thp.NOHUGEPAGE;
                case 'H' -> hugetlb = true;
                case 'w' -> write = true;
                case 'W' -> write = false;
                case 'S' -> shared = true;
                case 'p' -> dumpWithPin = true; // "works only with DUMP_USER_PAGES_TEST"
                case 'F' -> throw notModelled("-F (raw gup_flags): use -w or -W for FOLL_WRITE and -u -a -L -U -b for"
                        + " the call");
                case 'f' -> throw notModelled("-f (map a file instead of /dev/zero): the buffer is anonymous memory");
                case 'j' -> throw notModelled("-j (threads): one ioctl at a time on one machine");
                default -> throw new IllegalArgumentException("gup_test: unknown option -" + flag + "; valid: " + USAGE);
            }
        }
    }

    private static IllegalArgumentException notModelled(String what) {
        return new IllegalArgumentException("gup_test: the model does not have " + what + "; valid: " + USAGE);
    }
}
