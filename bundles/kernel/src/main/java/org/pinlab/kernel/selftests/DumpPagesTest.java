package org.pinlab.kernel.selftests;

import static org.pinlab.kernel.selftests.GupTest.MAX_PAGES_TO_DUMP;
import static org.pinlab.kernel.selftests.GupTest.USAGE;

import java.util.List;

import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.selftests.GupTest.Command;
import org.pinlab.kernel.selftests.GupTest.Options;

/** gup_test's DUMP_USER_PAGES_TEST: which pages it may dump, and {@code dump_pages_test} (mm/gup_test.c, v6.12). */
final class DumpPagesTest {

    /** The reason {@code dump_pages_test} gives {@code dump_page}. */
    static final String REASON = "gup_test: dump_pages() test";

    private DumpPagesTest() {
    }

    /**
     * Page numbers and {@code -p} go with {@code -c} only, at most {@link GupTest#MAX_PAGES_TO_DUMP}
     * pages, each 0-based.
     *
     * @throws IllegalArgumentException one line saying what was wrong and what is valid
     */
    static void check(Command command, List<Integer> dumpPages, boolean dumpWithPin) {
        boolean dump = command == Command.DUMP_USER_PAGES_TEST;
        if (!dump && !dumpPages.isEmpty()) {
            throw new IllegalArgumentException("gup_test: page numbers go with -c (DUMP_USER_PAGES_TEST), got '"
                    + dumpPages.get(0) + "' with -" + command.option() + "; valid: " + USAGE);
        }
        if (!dump && dumpWithPin) {
            throw new IllegalArgumentException("gup_test: -p goes with -c (DUMP_USER_PAGES_TEST); valid: " + USAGE);
        }
        if (dumpPages.size() > MAX_PAGES_TO_DUMP) {
            throw new IllegalArgumentException("gup_test: at most " + MAX_PAGES_TO_DUMP + " page numbers"
                    + " (GUP_TEST_MAX_PAGES_TO_DUMP), got " + dumpPages.size() + "; valid: " + USAGE);
        }
        for (int page : dumpPages) {
            Options.requireRange("a page number", "a 0-based page", page, 0, Integer.MAX_VALUE - 1);
        }
    }

    /**
     * {@code dump_pages_test} (mm/gup_test.c, v6.12): a chosen page beyond the {@code nrPages}
     * grabbed is zeroed with a warning; each other gets a header line and
     * {@code dump_page(pages[i], "gup_test: dump_pages() test")}, all into the kernel log.
     *
     * @param pages the ioctl's {@code pages[]}, one array per call of {@code -n} pages
     */
    static void run(Kernel k, Options options, int[][] pages, Vma vma, int nrPages) {
        long[] whichPages = new long[MAX_PAGES_TO_DUMP]; // 1-based; 0 means nothing
        for (int i = 0; i < options.dumpPages().size(); i++) {
            whichPages[i] = options.dumpPages().get(i) + 1L;
        }
        for (int i = 0; i < MAX_PAGES_TO_DUMP; i++) {
            if (whichPages[i] > nrPages) {
                k.printk.log("ZEROING due to out of range: .which_pages[" + i + "]: " + whichPages[i]); // pr_warn
                whichPages[i] = 0;
            }
        }
        long addr = vma.startVpn() * MemoryLayout.PAGE_SIZE; // gup->addr
        int perCall = options.pagesPerCall();
        for (long which : whichPages) {
            if (which != 0) {
                int index = (int) (which - 1);
                k.printk.log("---- page #" + index + ", starting from user virt addr: 0x" + Long.toHexString(addr));
                DumpPage.dump(k, pages[index / perCall][index % perCall], vma, REASON).forEach(k.printk::log);
            }
        }
    }
}
