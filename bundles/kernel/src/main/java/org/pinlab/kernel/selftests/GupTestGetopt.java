package org.pinlab.kernel.selftests;

import static org.pinlab.kernel.selftests.GupTest.USAGE;

import java.util.Objects;

import org.pinlab.kernel.selftests.GupTest.Command;
import org.pinlab.kernel.selftests.GupTest.Options;
import org.pinlab.kernel.selftests.GupTest.Thp;

/** gup_test's command line, parsed as the selftest's {@code getopt} loop parses it. */
final class GupTestGetopt {

    /** See {@link GupTest#parse}. */
    static GupTest.Options parse(String... args) {
        Getopt g = new Getopt();
        for (int i = 0; i < args.length; i++) {
            String arg = Objects.requireNonNull(args[i], "argument");
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                throw new IllegalArgumentException("gup_test: unexpected argument '" + arg + "' (page numbers go with"
                        + " -c, which the model does not have); valid: " + USAGE);
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
        return new Options(g.megabytes, g.pagesPerCall, g.repeats, g.command, g.thp, g.hugetlb, g.write, g.shared);
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
                case 'F' -> throw notModelled("-F (raw gup_flags): use -w or -W for FOLL_WRITE and -u -a -L -U -b for"
                        + " the call");
                case 'f' -> throw notModelled("-f (map a file instead of /dev/zero): the buffer is anonymous memory");
                case 'j' -> throw notModelled("-j (threads): one ioctl at a time on one machine");
                case 'c', 'p' -> throw notModelled("-" + flag + " (DUMP_USER_PAGES_TEST)");
                default -> throw new IllegalArgumentException("gup_test: unknown option -" + flag + "; valid: " + USAGE);
            }
        }
    }

    private static IllegalArgumentException notModelled(String what) {
        return new IllegalArgumentException("gup_test: the model does not have " + what + "; valid: " + USAGE);
    }
}
