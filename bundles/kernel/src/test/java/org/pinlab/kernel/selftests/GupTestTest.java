package org.pinlab.kernel.selftests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.gup.internal.FollPin2019PinTracker;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.selftests.GupTest.Command;
import org.pinlab.kernel.selftests.GupTest.Options;
import org.pinlab.kernel.selftests.GupTest.Repeat;
import org.pinlab.kernel.selftests.GupTest.Result;
import org.pinlab.kernel.selftests.GupTest.Thp;

/** gup_test on the model: the selftest's flags, its output, and the counts each repeat must leave behind. */
class GupTestTest {

    private static final Pattern TIME_LINE = Pattern.compile("(?m)^# [A-Z_]+: Time: get:\\d+ put:\\d+ us$");
    /** A dmesg line: {@code [seconds.micros] text}. */
    private static final Pattern DMESG_LINE = Pattern.compile("\\[ *\\d+\\.\\d{6}\\] .*");
    /** Pages in 4 MB. */
    private static final int PAGES_4MB = 1024;

    private static Result run(String... args) {
        return run(new MergedPinTracker(), args);
    }

    private static Result run(PinTracker tracker, String... args) {
        return new GupTest(GupTest.parse(args), tracker, new BuddyAllocatorService()).run();
    }

    // ---- parsing ----------------------------------------------------------------------

    @Test
    void noFlagsGiveTheSelftestDefaults() {
        Options o = GupTest.parse();
        assertEquals(Options.DEFAULTS, o);
        assertEquals(128, o.megabytes());
        assertEquals(1, o.pagesPerCall());
        assertEquals(1, o.repeats());
        assertEquals(Command.GUP_FAST_BENCHMARK, o.command());
        assertEquals(Thp.DEFAULT, o.thp());
        assertTrue(o.write(), "the selftest sets FOLL_WRITE unless -W");
        assertFalse(o.hugetlb());
        assertFalse(o.shared());
    }

    @Test
    void eachNumberFlagSetsItsField() {
        Options o = GupTest.parse("-m", "8192", "-n", "512", "-r", "3");
        assertEquals(8192, o.megabytes());
        assertEquals(8192 * 256, o.pages());
        assertEquals(512, o.pagesPerCall());
        assertEquals(3, o.repeats());
    }

    @ParameterizedTest
    @EnumSource(Command.class)
    void eachCommandHasItsSelftestLetter(Command c) {
        assertEquals(c, GupTest.parse("-" + c.option()).command());
    }

    @Test
    void theCommandLettersAreTheSelftests() {
        assertEquals(Command.PIN_FAST_BENCHMARK, GupTest.parse("-a").command());
        assertEquals(Command.PIN_BASIC_TEST, GupTest.parse("-b").command());
        assertEquals(Command.PIN_LONGTERM_BENCHMARK, GupTest.parse("-L").command());
        assertEquals(Command.GUP_FAST_BENCHMARK, GupTest.parse("-a", "-u").command(), "the last one wins");
        assertEquals(Command.GUP_BASIC_TEST, GupTest.parse("-U").command());
    }

    @Test
    void theMappingFlagsSetTheirFields() {
        assertEquals(Thp.HUGEPAGE, GupTest.parse("-t").thp());
        assertEquals(Thp.NOHUGEPAGE, GupTest.parse("-t", "-T").thp());
        assertTrue(GupTest.parse("-H").hugetlb());
        assertTrue(GupTest.parse("-S").shared());
        assertFalse(GupTest.parse("-W").write());
        assertTrue(GupTest.parse("-W", "-w").write());
    }

    @Test
    void flagsClusterAndValuesMayBeAttachedAsWithGetopt() {
        Options o = GupTest.parse("-Ltw", "-m8", "-n512");
        assertEquals(Command.PIN_LONGTERM_BENCHMARK, o.command());
        assertEquals(Thp.HUGEPAGE, o.thp());
        assertEquals(8, o.megabytes());
        assertEquals(512, o.pagesPerCall());
        assertEquals(4, GupTest.parse("-Lm", "4").megabytes(), "a value flag at the end of a cluster takes the next");
    }

    @Test
    void aNegativePageCountMeansTheWholeSizeGivenSoFar() {
        assertEquals(PAGES_4MB, GupTest.parse("-m", "4", "-n", "-1").pagesPerCall());
        assertEquals(128 * 256, GupTest.parse("-n", "-1", "-m", "4").pagesPerCall(), "as the selftest: -m came later");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-x", "-z", "-m abc", "-m", "-m 0", "-m -5", "-m 99999999", "-n 0", "-n 1.5", "-r 0",
        "-r x", "stray", "-", "-j 2", "-F 0x1", "-f /tmp/file", "-p", "5", "-c 1 2 3 4 5 6 7 8 9", "-c x",
        "-c 0x", "-c 4294967296", "-U 3"})
    void badCommandLinesFailWithOneLineSayingWhatIsValid(String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GupTest.parse(line.split(" ")));
        String m = e.getMessage();
        assertTrue(m.startsWith("gup_test: "), m);
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.contains(" from ") || m.contains("valid: "), "says what is valid: " + m);
    }

    @Test
    void theErrorNamesTheFlagAndTheBadValue() {
        String m = assertThrows(IllegalArgumentException.class, () -> GupTest.parse("-m", "lots")).getMessage();
        assertTrue(m.contains("-m") && m.contains("'lots'"), m);
        m = assertThrows(IllegalArgumentException.class, () -> GupTest.parse("-q")).getMessage();
        assertTrue(m.contains("unknown option -q") && m.contains(GupTest.USAGE), m);
        m = assertThrows(IllegalArgumentException.class, () -> GupTest.parse("-j", "4")).getMessage();
        assertTrue(m.contains("does not have -j"), m);
    }

    /** gup_test.c (v6.12): {@code -c} is DUMP_USER_PAGES_TEST of page 0 ({@code gup.which_pages[0] = 1}). */
    @Test
    void dashCIsDumpUserPagesTestOfPageZero() {
        Options o = GupTest.parse("-c");
        assertEquals(Command.DUMP_USER_PAGES_TEST, o.command());
        assertEquals(List.of(0), o.dumpPages());
        assertFalse(o.dumpWithPin());
        assertEquals(Foll.GET | Foll.WRITE, o.foll(), "get_user_pages, as the ioctl calls it without -p");
        assertFalse(o.command().benchmark());
    }

    /**
     * gup_test.c (v6.12): the arguments after the options are 0-based page numbers, parsed with
     * {@code strtol(arg, 0, 0)} (hex, octal, decimal), stored from {@code which_pages[0]} on,
     * so they replace page 0; at most {@code GUP_TEST_MAX_PAGES_TO_DUMP} (8).
     */
    @Test
    void pageNumbersReplaceTheDefaultFromTheFirstSlotAndParseLikeStrtol() {
        assertEquals(List.of(3, 16, 8, 0), GupTest.parse("-c", "3", "0x10", "010", "0").dumpPages());
        assertEquals(List.of(1, 2), GupTest.parse("-m", "1", "-c", "1", "2").dumpPages());
        assertEquals(8, GupTest.parse("-c", "0", "1", "2", "3", "4", "5", "6", "7").dumpPages().size());
    }

    /** gup_test.c (v6.12): {@code -p} sets GUP_TEST_FLAG_DUMP_PAGES_USE_PIN: pin_user_pages instead of get_user_pages. */
    @Test
    void dashPMakesTheDumpPinInsteadOfGet() {
        Options o = GupTest.parse("-p", "-c");
        assertTrue(o.dumpWithPin());
        assertEquals(Foll.PIN | Foll.WRITE, o.foll());
        assertEquals(Foll.PIN, GupTest.parse("-cpW").foll());
    }

    @Test
    void pageNumbersAndDashPWithoutDashCSayTheyGoWithIt() {
        String m = assertThrows(IllegalArgumentException.class, () -> GupTest.parse("-a", "7")).getMessage();
        assertTrue(m.contains("page numbers go with -c") && m.contains("'7'"), m);
        m = assertThrows(IllegalArgumentException.class, () -> GupTest.parse("-p", "-L")).getMessage();
        assertTrue(m.contains("-p goes with -c"), m);
        m = assertThrows(IllegalArgumentException.class, () -> GupTest.parse("-c", "1", "2", "3", "4", "5", "6", "7",
                "8", "9")).getMessage();
        assertTrue(m.contains("at most 8 page numbers"), m);
    }

    @Test
    void aMachineTooBigForTheHeapIsRefusedBeforeAnythingIsAllocated() {
        Options huge = GupTest.parse("-m", String.valueOf(GupTest.MAX_MEGABYTES));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GupTest(huge, new MergedPinTracker(), new BuddyAllocatorService()));
        assertTrue(e.getMessage().contains("-Xmx") && e.getMessage().contains("MiB"), e.getMessage());
        assertTrue(GupTest.heapBytesNeeded(huge) > GupTest.heapBytesNeeded(Options.DEFAULTS));
    }

    // ---- runs -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Command.class)
    void everyCommandGrabsTheWholeBufferEachRepeatAndLeavesTheCountsBalanced(Command c) {
        // run() throws IllegalStateException if a pin counter or refcount is not back after a repeat
        Result r = run("-m", "4", "-n", "64", "-r", "2", "-" + c.option());
        assertEquals(c.benchmark() ? 2 : 1, r.repeats().size(), "only the *_BENCHMARK commands repeat");
        for (Repeat rep : r.repeats()) {
            assertEquals(PAGES_4MB, rep.pages());
            assertEquals(4L << 20, rep.sizeBytes());
            assertEquals(PAGES_4MB, rep.folios());
        }
        String out = r.format();
        assertTrue(out.startsWith("TAP version 13\n1..1\n"), out);
        assertTrue(out.endsWith("ok 1 ioctl status 0\n# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n"), out);
        if (c.benchmark()) {
            assertEquals(2, TIME_LINE.matcher(out).results().count(), out);
            assertTrue(out.contains("# " + c.name() + ": Time: get:"), out);
        } else {
            assertTrue(out.contains("# " + c.name() + ": done\n"), out);
        }
        assertTrue(out.contains("# pinlab: 1024 pages, get "), out);
        assertTrue(r.findings().isEmpty(), r.findings().toString());
    }

    @Test
    void smallPagePinsAddTheBiasAndThpPinsCountExactlyOnTheFolio() {
        Repeat small = run("-m", "4", "-n", "512", "-a").repeats().get(0);
        assertEquals(PAGES_4MB, small.folios());
        assertEquals(PAGES_4MB * 1024L, small.refsTaken(), "GUP_PIN_COUNTING_BIAS per small page pin");
        assertEquals(0, small.pincountTaken());

        Repeat thp = run("-m", "4", "-n", "512", "-a", "-t").repeats().get(0);
        assertEquals(PAGES_4MB, thp.pages());
        assertEquals(2, thp.folios(), "two 2 MiB folios");
        assertEquals(PAGES_4MB, thp.refsTaken(), "one reference per subpage pin");
        assertEquals(PAGES_4MB, thp.pincountTaken(), "and one _pincount per subpage pin");

        Repeat get = run("-m", "4", "-n", "512", "-u", "-t").repeats().get(0);
        assertEquals(PAGES_4MB, get.refsTaken(), "FOLL_GET: one reference per page");
        assertEquals(0, get.pincountTaken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a", "-L", "-u"})
    void thpRepeatsRefillTheSamePagesArraysAndBalanceEachTime(String command) {
        // -n 300: calls that start and end inside huge pages, and a shorter last call of 124
        Result r = run("-m", "4", "-n", "300", "-r", "3", command, "-t");
        assertEquals(3, r.repeats().size());
        for (Repeat rep : r.repeats()) {
            assertEquals(PAGES_4MB, rep.pages());
            assertEquals(2, rep.folios());
            assertEquals(command.equals("-u") ? 0 : PAGES_4MB, rep.pincountTaken());
            assertEquals(r.repeats().get(0).simulatedGetNanos(), rep.simulatedGetNanos());
        }
        assertTrue(r.findings().isEmpty(), r.findings().toString());
    }

    @Test
    void theNov2019LayoutPutsEveryThpSubpagePinOnTheHeadsRefcount() {
        Result r = run(new FollPin2019PinTracker(), "-m", "4", "-n", "512", "-L", "-t");
        Repeat rep = r.repeats().get(0);
        assertEquals(2, rep.folios());
        assertEquals(PAGES_4MB * 1024L, rep.refsTaken());
        assertEquals(0, rep.pincountTaken(), "no separate _pincount");
        assertTrue(r.format().contains("(foll-pin-2019)"), r.format());
    }

    @Test
    void hugetlbRoundsTheMappingUpToWholeHugePagesButGrabsOnlyTheSize() {
        Result r = run("-m", "1", "-n", "512", "-a", "-H");
        Repeat rep = r.repeats().get(0);
        assertEquals(256, rep.pages());
        assertEquals(1, rep.folios());
        assertEquals(256, rep.pincountTaken());
        assertTrue(r.notes().get(0).startsWith("-H: "), r.notes().toString());
    }

    @Test
    void thpLeavesSmallPagesWhereNoWholeHugePageFits() {
        Result r = run("-m", "3", "-n", "512", "-a", "-t");
        Repeat rep = r.repeats().get(0);
        assertEquals(768, rep.pages());
        assertEquals(1 + 256, rep.folios());
        assertEquals(512, rep.pincountTaken());
        assertEquals(512 + 256 * 1024L, rep.refsTaken());
        assertTrue(r.format().contains("the last 256 pages are small pages"), r.format());
    }

    @Test
    void theSimulatedTimeIsTheCostTablesAndTheSameEveryRun() {
        Repeat a = run("-m", "4", "-n", "512", "-a", "-r", "2").repeats().get(1);
        Repeat b = run("-m", "4", "-n", "512", "-a", "-r", "2").repeats().get(1);
        assertEquals(PAGES_4MB * Cost.PIN_PAGE.defaultNs(), a.simulatedGetNanos(), "pin_user_pages_fast: PIN_PAGE a page");
        assertEquals(PAGES_4MB * Cost.UNPIN_PAGE.defaultNs(), a.simulatedPutNanos());
        assertEquals(a.simulatedGetNanos(), b.simulatedGetNanos());
        assertEquals(a.simulatedPutNanos(), b.simulatedPutNanos());
        assertTrue(run("-m", "4", "-n", "512", "-L").repeats().get(0).simulatedGetNanos() > 0);
    }

    /**
     * DUMP_USER_PAGES_TEST (mm/gup_test.c, v6.12 {@code dump_pages_test}): after the grab, one
     * {@code ---- page #I, starting from user virt addr: 0xA} line per chosen page, then
     * {@code dump_page(pages[I], "gup_test: dump_pages() test")} (mm/debug.c
     * {@code __dump_folio}); the user side prints {@code DUMP_USER_PAGES_TEST: done}.
     */
    @Test
    void dumpUserPagesTestDumpsEachChosenPageLikeDumpPage() {
        Result r = run("-m", "1", "-n", "64", "-r", "3", "-c", "0", "5");
        assertEquals(1, r.repeats().size(), "a test, not a benchmark: it runs once");
        assertEquals(256, r.repeats().get(0).pages());
        String out = r.format();
        assertTrue(out.contains("# DUMP_USER_PAGES_TEST: done\n"), out);
        List<String> dmesg = r.dmesg();
        assertEquals(2 * 4, dmesg.size(), dmesg.toString());
        assertTrue(DMESG_LINE.matcher(dmesg.get(0)).matches(), dmesg.get(0));
        String addr = dmesg.get(0).replaceAll(".*starting from user virt addr: ", "");
        assertTrue(dmesg.get(0).endsWith("] ---- page #0, starting from user virt addr: " + addr), dmesg.get(0));
        assertTrue(dmesg.get(4).endsWith("] ---- page #5, starting from user virt addr: " + addr),
                "the buffer's start, gup->addr, for every page: " + dmesg.get(4));
        // an anonymous page: the PTE's reference and get_user_pages' one
        assertTrue(dmesg.get(1).matches(".*\\] page: refcount:2 mapcount:1 mapping:0000000000000000 index:0x[0-9a-f]+"
                + " pfn:0x[0-9a-f]+"), dmesg.get(1));
        assertTrue(dmesg.get(2).matches(".*\\] anon flags: 0x[0-9a-f]+\\(uptodate\\|dirty\\|lru"
                + "(\\|active)?\\|swapbacked\\|node=0\\|zone=2\\)"), dmesg.get(2));
        assertTrue(dmesg.get(3).endsWith("] page dumped because: gup_test: dump_pages() test"), dmesg.get(3));
        long index0 = Long.parseLong(dmesg.get(1).replaceAll(".*index:0x([0-9a-f]+).*", "$1"), 16);
        long index5 = Long.parseLong(dmesg.get(5).replaceAll(".*index:0x([0-9a-f]+).*", "$1"), 16);
        assertEquals(5, index5 - index0, "folio->index: the page's place in the mapping");
        assertEquals(Long.parseLong(addr.substring(2), 16) >> 12, index0, "anon: index is the virtual page");
        for (String line : dmesg) {
            assertFalse(line.contains("head:"), "small pages only: " + line);
        }
        assertTrue(out.contains("# pinlab: dmesg: " + dmesg.get(1) + "\n"), out);
        assertTrue(out.endsWith("ok 1 ioctl status 0\n# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n"), out);
    }

    @Test
    void aPinnedDumpShowsTheBiasOnASmallPageAndThePincountOnAHugeOne() {
        List<String> small = run("-m", "1", "-c", "-p").dmesg();
        assertTrue(small.get(1).contains("page: refcount:1025 mapcount:1 "), "GUP_PIN_COUNTING_BIAS: " + small);
        List<String> thp = run("-m", "2", "-n", "512", "-t", "-c", "-p", "1").dmesg();
        assertTrue(thp.get(0).endsWith("] ---- page #1, starting from user virt addr: "
                + thp.get(0).replaceAll(".*addr: ", "")), thp.toString());
        assertTrue(thp.get(1).contains("page: refcount:1024 mapcount:1 "), "512 PTEs + 512 pins: " + thp);
        assertTrue(thp.get(2).endsWith("] head: order:9 mapcount:512 entire_mapcount:0 nr_pages_mapped:512"
                + " pincount:512"), thp.get(2));
        assertTrue(thp.get(3).matches(".*anon flags: 0x[0-9a-f]+\\(uptodate\\|dirty\\|lru(\\|active)?\\|head"
                + "\\|swapbacked\\|node=0\\|zone=2\\)"), thp.get(3));
        List<String> got = run("-m", "2", "-n", "512", "-t", "-c").dmesg();
        assertTrue(got.get(2).endsWith(" pincount:0"), "FOLL_GET takes no pin: " + got.get(2));
    }

    /** dump_pages_test: an index past the pages grabbed is zeroed with a warning, and not dumped. */
    @Test
    void aPageNumberOutOfRangeIsZeroedWithTheKernelsWarning() {
        List<String> dmesg = run("-m", "1", "-c", "0", "300", "255").dmesg();
        assertTrue(dmesg.get(0).endsWith("] ZEROING due to out of range: .which_pages[1]: 301"), dmesg.toString());
        assertEquals(1 + 4 + 4, dmesg.size(), dmesg.toString());
        assertTrue(dmesg.get(5).contains("---- page #255,"), dmesg.toString());
    }

    /**
     * GUP_BASIC_TEST and PIN_BASIC_TEST (mm/gup_test.c, v6.12) call {@code get_user_pages} and
     * {@code pin_user_pages}, which need {@code mmap_lock} (needs_mmap_lock), where the FAST
     * benchmarks walk locklessly: the slow path costs a lock per call on the virtual clock.
     */
    @Test
    void theBasicTestsTakeTheSlowPathWhereTheFastBenchmarksDoNot() {
        Repeat gupFast = run("-m", "4", "-n", "64", "-u").repeats().get(0);
        Repeat gupBasic = run("-m", "4", "-n", "64", "-U").repeats().get(0);
        Repeat pinFast = run("-m", "4", "-n", "64", "-a").repeats().get(0);
        Repeat pinBasic = run("-m", "4", "-n", "64", "-b").repeats().get(0);
        assertTrue(gupBasic.simulatedGetNanos() >= gupFast.simulatedGetNanos() + 16 * Cost.LOCK.defaultNs(),
                gupBasic + " vs " + gupFast);
        assertTrue(pinBasic.simulatedGetNanos() > pinFast.simulatedGetNanos() - PAGES_4MB * Cost.PIN_PAGE.defaultNs()
                + 16 * Cost.LOCK.defaultNs(), pinBasic + " vs " + pinFast);
        assertEquals(PAGES_4MB, gupBasic.refsTaken(), "FOLL_GET: a reference a page, released with put_page");
        assertEquals(PAGES_4MB * 1024L, pinBasic.refsTaken(), "FOLL_PIN: the bias a page, released with unpin_user_pages");
    }

    @Test
    void sharedMappingsSayHowTheyAreModelled() {
        Result r = run("-m", "4", "-S", "-a");
        assertEquals(PAGES_4MB, r.repeats().get(0).pages());
        assertTrue(r.format().contains("# pinlab: -S: MAP_SHARED of /dev/zero is shmem"), r.format());
    }

    @Test
    void readOnlyGrabsWork() {
        assertEquals(PAGES_4MB, run("-m", "4", "-W", "-L").repeats().get(0).pages());
    }

    @Test
    void aPinThatIsNeverReleasedFailsTheBalanceCheck() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(new LeakyPinTracker(), "-m", "4", "-n", "512", "-a"));
        assertTrue(e.getMessage().contains("outstanding"), e.getMessage());
    }

    @Test
    void theBufferRunsOneIoctlAtATime() {
        GupTest.Buffer buffer = new GupTest(GupTest.parse("-m", "4", "-n", "256", "-L"), new MergedPinTracker(),
                new BuddyAllocatorService()).mmap();
        for (int i = 0; i < 3; i++) {
            assertEquals(PAGES_4MB, buffer.ioctl().pages());
        }
        assertEquals(List.of(), buffer.findings());
    }
}
