package org.pinlab.kernel.selftests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.families.Families;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.fs.btrfs.internal.BtrfsType;
import org.pinlab.fs.dax.internal.DaxType;
import org.pinlab.fs.ext4.internal.Ext4Type;
import org.pinlab.fs.tmpfs.internal.TmpfsType;
import org.pinlab.fs.xfs.internal.XfsType;
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.selftests.GupLongterm.Backend;
import org.pinlab.kernel.selftests.GupLongterm.Case;
import org.pinlab.kernel.selftests.GupLongterm.Cell;
import org.pinlab.kernel.selftests.GupLongterm.Expected;
import org.pinlab.kernel.selftests.GupLongterm.Result;
import org.pinlab.kernel.selftests.GupLongterm.Verdict;
import org.pinlab.strategies.internal.admission.AdmitAllPins;
import org.pinlab.strategies.internal.admission.RefuseLongtermFileWritePins;

/**
 * gup_longterm (tools/testing/selftests/mm/gup_longterm.c, v6.12) on the model: every cell
 * agrees with the kernel under the v6.5 rule of {@code check_vma_flags}, and a wrong
 * admission rule fails exactly the cells it gets wrong.
 */
class GupLongtermTest {

    private static final int CELLS = Case.values().length * Backend.values().length;
    private static final Set<Backend> WRITEBACK_FILESYSTEMS = Set.of(Backend.LOCAL_EXT4, Backend.LOCAL_XFS,
            Backend.LOCAL_BTRFS);
    private static final Set<Case> SHARED_WRITABLE = Set.of(Case.SHARED_RW, Case.SHARED_RW_FAST, Case.SHARED_IOURING);

    private static Implementations filesystems() {
        return new Implementations().add(Families.FILESYSTEM, new TmpfsType()).add(Families.FILESYSTEM, new Ext4Type())
                .add(Families.FILESYSTEM, new XfsType()).add(Families.FILESYSTEM, new BtrfsType())
                .add(Families.FILESYSTEM, new DaxType());
    }

    private static GupLongterm under(AdmissionPolicy admission) {
        return new GupLongterm(Choices.fixed(Map.of(Families.ADMISSION, admission)), new MergedPinTracker(),
                new BuddyAllocatorService(), filesystems());
    }

    /** The cells that did not pass, as {@code CASE/BACKEND}. */
    private static Set<String> failed(Result r) {
        return r.cells().stream().filter(c -> c.verdict() == Verdict.FAIL)
                .map(c -> c.testCase() + "/" + c.backend()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> cells(Set<Case> cases, Set<Backend> backends) {
        Set<String> out = new TreeSet<>();
        for (Case c : cases) {
            for (Backend b : backends) {
                out.add(c + "/" + b);
            }
        }
        return out;
    }

    // ---- the kernel's answers -----------------------------------------------------------

    /**
     * {@code check_vma_flags} -> {@code writable_file_mapping_allowed} (mm/gup.c, v6.5:
     * 8ac268436e6d; GUP-fast a6e79df92e4a): a FOLL_LONGTERM FOLL_WRITE pin of a MAP_SHARED
     * file that needs dirty tracking is -EFAULT; the selftest's {@code should_work} is false
     * for exactly those, io_uring's always-writable pins included.
     */
    @Test
    void writableFileMappingAllowedRefusesExactlyTheSharedWritablePinsOfWritebackFilesystems() {
        Set<String> refused = new TreeSet<>();
        for (Case c : Case.values()) {
            for (Backend b : Backend.values()) {
                if (GupLongterm.expected(c, b).errno() == Errno.EFAULT.negative()) {
                    refused.add(c + "/" + b);
                }
            }
        }
        assertEquals(cells(SHARED_WRITABLE, WRITEBACK_FILESYSTEMS), refused);
    }

    /** {@code check_vma_flags}: FOLL_LONGTERM on {@code vma_is_fsdax} is -EOPNOTSUPP (6.1 and 6.12), before any write check. */
    @ParameterizedTest
    @EnumSource(Case.class)
    void checkVmaFlagsRefusesEveryLongtermPinOnFsdaxWithEopnotsupp(Case c) {
        Expected e = GupLongterm.expected(c, Backend.LOCAL_FSDAX);
        assertEquals(Errno.EOPNOTSUPP.negative(), e.errno());
        assertTrue(e.why().contains("vma_is_fsdax"), e.why());
    }

    /** do_test: "R/O pinning or pinning in a private mapping is always expected to work", and R/W on tmpfs. */
    @Test
    void readOnlyPrivateAndShmemPinsAreExpectedToWork() {
        for (Backend b : List.of(Backend.MEMFD, Backend.TMPFILE, Backend.LOCAL_EXT4, Backend.LOCAL_XFS,
                Backend.LOCAL_BTRFS)) {
            for (Case c : Case.values()) {
                boolean works = !c.shared() || !c.rw() || b == Backend.MEMFD || b == Backend.TMPFILE;
                assertEquals(works, GupLongterm.expected(c, b).errno() == 0, c + " on " + b);
            }
        }
        assertTrue(GupLongterm.expected(Case.SHARED_RW, Backend.MEMFD).why().contains("vma_needs_dirty_tracking"));
    }

    @Test
    void theCasesAndBackendsAreTheSelftestsInItsOrder() {
        assertEquals(10, Case.values().length, "8 cases, 10 with liburing");
        assertEquals("R/W longterm GUP pin in MAP_SHARED file mapping", Case.values()[0].description());
        assertEquals("io_uring fixed buffer with MAP_PRIVATE file mapping", Case.values()[9].description());
        assertEquals(List.of("with memfd", "with tmpfile"),
                List.of(Backend.values()[0].description(), Backend.values()[1].description()));
        assertTrue(Case.SHARED_IOURING.rw() && Case.SHARED_IOURING.fast(), "io_uring always pins writable, fast");
        assertEquals(CELLS, GupLongterm.cellNames().size());
        assertEquals("R/W longterm GUP pin in MAP_SHARED file mapping ... with memfd", GupLongterm.cellNames().get(0));
    }

    // ---- the model against them ---------------------------------------------------------

    /**
     * The kernel since v6.5 ({@code check_vma_flags} -> {@code writable_file_mapping_allowed},
     * 8ac268436e6d; {@code vma_is_fsdax} for fsdax): under the strategies'
     * {@code no-longterm-file-write} the model answers every cell as the kernel does, with no
     * finding on any cell's machine, and prints the selftest's TAP.
     */
    @Test
    void everyCellAgreesWithTheKernelUnderTheV65AdmissionRule() {
        Result r = under(new RefuseLongtermFileWritePins()).run();
        assertEquals(CELLS, r.cells().size());
        assertTrue(r.cells().size() >= 60);
        assertEquals(Set.of(), failed(r), r.format());
        assertEquals(CELLS, r.count(Verdict.PASS));
        assertTrue(r.passed());
        for (Cell c : r.cells()) {
            assertEquals(c.expected().errno(), c.got(), c.name());
            assertEquals(List.of(), c.notes(), c.name() + ": no findings on the cell's machine");
        }
        String tap = r.format();
        assertTrue(tap.startsWith("TAP version 13\n1.." + CELLS + "\n"), tap);
        assertTrue(tap.endsWith("# Totals: pass:" + CELLS + " fail:0 xfail:0 xpass:0 skip:0 error:0\n"), tap);
        assertFalse(tap.contains("not ok"), tap);
        assertFalse(tap.contains("Bail out!"), tap);
        assertTrue(tap.contains("# [RUN] R/W longterm GUP pin in MAP_SHARED file mapping ... with memfd\n"
                + "# pinlab: kernel pins, model pins: shmem: vma_needs_dirty_tracking is false\nok 1 Should have worked\n"),
                tap);
        assertTrue(tap.contains("# [RUN] R/W longterm GUP pin in MAP_SHARED file mapping ... with local tmpfile (ext4)\n"
                + "# pinlab: kernel -EFAULT (-14), model -EFAULT (-14): check_vma_flags -> writable_file_mapping_allowed"
                + " (v6.5, 8ac268436e6d)\nok 3 Should have failed\n"), tap);
        assertTrue(tap.contains("# pinlab: admission no-longterm-file-write, pin-layout merged;"), tap);
    }

    /**
     * Before v6.5 {@code check_vma_flags} let a writable long-term pin of a shared file through
     * (the strategies' {@code allow}, the kernel's built-in default): the selftest then fails
     * exactly the nine cells that R/W-pin a MAP_SHARED ext4, xfs or btrfs file.
     */
    @Test
    void admittingLongtermWritePinsOfSharedFilesFailsExactlyThoseCells() {
        Result r = under(new AdmitAllPins()).run();
        assertEquals(cells(SHARED_WRITABLE, WRITEBACK_FILESYSTEMS), failed(r));
        for (Cell c : r.cells()) {
            if (c.verdict() == Verdict.FAIL) {
                assertEquals(0, c.got(), "the model pinned it");
                assertEquals("Should have worked", c.message(), "the selftest's message for a pin that succeeded");
            }
        }
        String tap = r.format();
        assertTrue(tap.contains("\nnot ok 3 Should have worked\n"), tap);
        assertTrue(tap.contains("Bail out! 9 out of " + CELLS + " tests failed\n# Totals: pass:" + (CELLS - 9)
                + " fail:9 xfail:0 xpass:0 skip:0 error:0\n"), tap);
        assertFalse(r.passed());
    }

    /** A rule that treats shmem like a file needing writeback refuses what the kernel admits (tmpfs: no dirty tracking). */
    @Test
    void refusingLongtermWritePinsOfShmemFailsExactlyTheSharedWritableMemfdAndTmpfileCells() {
        AdmissionPolicy wrong = new Wrong("refuse-shmem", m -> m == AdmissionPolicy.Mapping.FILE
                || m == AdmissionPolicy.Mapping.SHMEM);
        Result r = under(wrong).run();
        assertEquals(cells(SHARED_WRITABLE, Set.of(Backend.MEMFD, Backend.TMPFILE)), failed(r));
        for (Cell c : r.cells()) {
            if (c.verdict() == Verdict.FAIL) {
                assertEquals(Errno.EFAULT.negative(), c.got());
                assertEquals("Should have failed", c.message());
            }
        }
    }

    /**
     * {@code writable_file_mapping_allowed} refuses only VM_SHARED mappings: a rule that also
     * refuses MAP_PRIVATE file mappings (the model before it told them apart) fails the
     * private R/W and io_uring cells on every backend but fsdax, which refuses them first.
     */
    @Test
    void refusingPrivateFileMappingsLikeSharedOnesFailsExactlyThePrivateWritableCells() {
        AdmissionPolicy wrong = new Wrong("refuse-private-too", m -> m == AdmissionPolicy.Mapping.FILE
                || m == AdmissionPolicy.Mapping.PRIVATE_FILE);
        Result r = under(wrong).run();
        assertEquals(cells(Set.of(Case.PRIVATE_RW, Case.PRIVATE_RW_FAST, Case.PRIVATE_IOURING), Set.of(Backend.MEMFD,
                Backend.TMPFILE, Backend.LOCAL_EXT4, Backend.LOCAL_XFS, Backend.LOCAL_BTRFS)), failed(r));
    }

    @Test
    void aFilterRunsTheMatchingCellsNumberedFromOne() {
        Result ext4 = under(new RefuseLongtermFileWritePins()).run(List.of("EXT4"));
        assertEquals(Case.values().length, ext4.cells().size());
        assertEquals(List.of(1, 2, 3), ext4.cells().stream().limit(3).map(Cell::number).toList());
        assertTrue(ext4.cells().stream().allMatch(c -> c.backend() == Backend.LOCAL_EXT4));
        assertTrue(ext4.format().startsWith("TAP version 13\n1.." + Case.values().length + "\n"));
        Result privateIoUring = under(new RefuseLongtermFileWritePins()).run(List.of("io_uring", "map_private"));
        assertEquals(Backend.values().length, privateIoUring.cells().size());
        assertTrue(privateIoUring.cells().stream().allMatch(c -> c.testCase() == Case.PRIVATE_IOURING));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> under(new RefuseLongtermFileWritePins()).run(List.of("zfs")));
        assertTrue(e.getMessage().contains("no test matches 'zfs'"), e.getMessage());
    }

    @Test
    void eachFilterWordPicksOutSomeCellsButNotAll() {
        for (String word : GupLongterm.FILTER_WORDS) {
            int n = GupLongterm.cellNames(List.of(word)).size();
            assertTrue(n > 0 && n < CELLS, word + " matches " + n);
        }
        List<String> slowShared = GupLongterm.cellNames(List.of("GUP pin", "MAP_SHARED", "tmpfile"));
        assertEquals(2 * 5, slowShared.size(), "R/W and R/O through the slow path, on all but memfd: " + slowShared);
        assertTrue(slowShared.stream().noneMatch(n -> n.contains("GUP-fast")), slowShared.toString());
    }

    @Test
    void aBackendWhoseFilesystemIsMissingIsSkippedAsTheSelftestSkips() {
        Implementations noBtrfs = new Implementations().add(Families.FILESYSTEM, new TmpfsType())
                .add(Families.FILESYSTEM, new Ext4Type()).add(Families.FILESYSTEM, new XfsType())
                .add(Families.FILESYSTEM, new DaxType());
        Result r = new GupLongterm(Choices.fixed(Map.of(Families.ADMISSION, new RefuseLongtermFileWritePins())),
                new MergedPinTracker(), new BuddyAllocatorService(), noBtrfs).run();
        assertEquals(Case.values().length, r.count(Verdict.SKIP));
        assertTrue(r.passed());
        String tap = r.format();
        assertTrue(tap.contains(" # SKIP no btrfs filesystem type is registered\n"), tap);
        assertTrue(tap.endsWith("skip:" + Case.values().length + " error:0\n"), tap);
    }

    @Test
    void twoRunsPrintTheSameTap() {
        assertEquals(under(new RefuseLongtermFileWritePins()).run().format(),
                under(new RefuseLongtermFileWritePins()).run().format());
    }

    @Test
    void aPinThatIsNeverReleasedFailsTheCheckAfterTheCell() {
        GupLongterm leaky = new GupLongterm(Choices.fixed(Map.of(Families.ADMISSION, new RefuseLongtermFileWritePins())),
                new LeakyPinTracker(), new BuddyAllocatorService(), filesystems());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaky.run(List.of("memfd")));
        assertTrue(e.getMessage().contains("pins left after the test"), e.getMessage());
    }

    // ---- do_test's verdicts ------------------------------------------------------------

    @Test
    void theVerdictsFollowDoTest() {
        Expected works = new Expected(0, "");
        Expected efault = new Expected(Errno.EFAULT.negative(), "");
        int enomem = Errno.ENOMEM.negative();
        assertEquals(Verdict.SKIP, verdict(Case.SHARED_RO, works, Errno.EINVAL.negative()).verdict(),
                "EINVAL from PIN_LONGTERM_TEST_START is a skip");
        Cell other = verdict(Case.SHARED_RO, works, enomem);
        assertEquals(Verdict.FAIL, other.verdict());
        assertEquals("PIN_LONGTERM_TEST_START failed", other.message());
        assertEquals(Verdict.SKIP, verdict(Case.SHARED_IOURING, works, enomem).verdict(),
                "io_uring: an error it does not list is a skip (MEMLOCK limits)");
        assertEquals(Verdict.FAIL, verdict(Case.SHARED_RW, efault, 0).verdict());
        assertEquals(Verdict.FAIL, verdict(Case.SHARED_RW, works, Errno.EFAULT.negative()).verdict());
        assertEquals(Verdict.FAIL, verdict(Case.SHARED_IOURING, efault, Errno.ENOSPC.negative()).verdict(),
                "stricter than the selftest: the errno must be the kernel's");
    }

    private static Cell verdict(Case c, Expected e, int got) {
        return GupLongterm.verdict(1, c, Backend.LOCAL_EXT4, e, got, List.of());
    }

    /** An admission rule that refuses FOLL_LONGTERM FOLL_WRITE pins of the mappings it names, with -EFAULT. */
    private record Wrong(String name, java.util.function.Predicate<AdmissionPolicy.Mapping> refuses)
            implements AdmissionPolicy {

        @Override
        public String description() {
            return "a deliberately wrong rule";
        }

        @Override
        public int admit(int foll, Mapping mapping) {
            boolean longtermWrite = (foll & (Foll.LONGTERM | Foll.WRITE)) == (Foll.LONGTERM | Foll.WRITE);
            return longtermWrite && refuses.test(mapping) ? Errno.EFAULT.negative() : 0;
        }
    }
}
