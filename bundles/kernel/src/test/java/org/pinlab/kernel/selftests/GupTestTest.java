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
import org.pinlab.api.gup.PinTracker;
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.gup.internal.Rfc21BitPinTracker;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.selftests.GupTest.Command;
import org.pinlab.kernel.selftests.GupTest.Options;
import org.pinlab.kernel.selftests.GupTest.Repeat;
import org.pinlab.kernel.selftests.GupTest.Result;
import org.pinlab.kernel.selftests.GupTest.Thp;

/** gup_test on the model: the selftest's flags, its output, and the counts each repeat must leave behind. */
class GupTestTest {

    private static final Pattern TIME_LINE = Pattern.compile("(?m)^# [A-Z_]+: Time: get:\\d+ put:\\d+ us$");
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
        "-r x", "stray", "-", "-j 2", "-F 0x1", "-f /tmp/file", "-c", "-p"})
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
    void theRfcLayoutPutsEveryThpSubpagePinOnTheHeadsRefcount() {
        Result r = run(new Rfc21BitPinTracker(), "-m", "4", "-n", "512", "-L", "-t");
        Repeat rep = r.repeats().get(0);
        assertEquals(2, rep.folios());
        assertEquals(PAGES_4MB * 1024L, rep.refsTaken());
        assertEquals(0, rep.pincountTaken(), "no separate _pincount");
        assertTrue(r.format().contains("(rfc-21bit)"), r.format());
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
