package org.pinlab.kernel.selftests;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.families.Families;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.HandleMmFault;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Schedulers;

/**
 * The kernel's gup_longterm selftest ({@code tools/testing/selftests/mm/gup_longterm.c},
 * v6.12) as a matrix run on model machines: each {@link Case} (R/W and R/O long-term pins
 * through GUP and GUP-fast, io_uring fixed buffers; MAP_SHARED and MAP_PRIVATE) on each
 * {@link Backend} (memfd, tmpfile, a local file on ext4, xfs, btrfs and fsdax), one fresh
 * machine per cell. Each cell states what the v6.12 kernel answers, derived as the
 * selftest's {@code do_test} derives {@code should_work}, and passes when the model
 * answers the same. The output is the selftest's TAP.
 *
 * <pre>{@code
 * GupLongterm.Result r = new GupLongterm(choices, tracker, allocator, filesystems).run();
 * System.out.print(r.format());
 * }</pre>
 *
 * <p>A cell does what {@code do_test} does: a file of one page ({@code ftruncate}), mapped
 * {@code PROT_READ|PROT_WRITE}, faulted in by writing it ({@code memset}), made read-only
 * for the R/O cases ({@code mprotect}), then {@code PIN_LONGTERM_TEST_START} and {@code STOP}
 * ({@code pin_longterm_test_start}, mm/gup_test.c) or {@code io_uring_register_buffers}
 * ({@code io_sqe_buffer_register}). After each cell every pin must be released and the pin
 * counters even, or {@link IllegalStateException}.
 *
 * <p>Where it departs from the selftest:
 * <ul>
 * <li>Backends: the model mounts what the selftest finds. {@code tmpfile} is on a tmpfs at
 *     {@code /tmp}, and the selftest's one "local tmpfile" (its directory's filesystem) is run
 *     on each of ext4, xfs, btrfs and an xfs {@code -o dax} mount.</li>
 * <li>hugetlb: the model has no hugetlbfs, so there are no {@code with memfd hugetlb} runs,
 *     as on a kernel without huge pages ({@code detect_hugetlb_page_sizes} finds none).</li>
 * <li>fsdax: the selftest knows only the superblock's magic (ext4 or xfs) and counts the
 *     kernel's -EOPNOTSUPP ({@code check_vma_flags}, {@code vma_is_fsdax}) as a failure; the
 *     port expects -EOPNOTSUPP on every fsdax cell and says so in the cell's comment.</li>
 * <li>Verdicts are stricter: a cell passes only if the model returns the kernel's errno, where
 *     the selftest accepts any failure it lists (EFAULT; for io_uring ENOSPC and EOPNOTSUPP too).</li>
 * <li>{@code fallocate} is not modelled: the file stays a hole until the {@code memset}'s
 *     write fault.</li>
 * <li>GUP-fast: the model's {@code gup_fast} leaves every long-term pin of a file VMA to the
 *     slow path, where the kernel's {@code gup_fast_folio_allowed} (v6.12) pins anonymous,
 *     shmem and read-only folios itself: the answer is the same, the path differs.</li>
 * </ul>
 *
 * <p>Deterministic: every machine has seed 1 and the earliest-first scheduler. Not
 * thread-safe; separate instances run in parallel.
 */
public final class GupLongterm {

    static final String OWNER = "gup_longterm";
    /** Frames of each cell's machine: room for one mapped page, the fsdax pmem and the watermarks. */
    private static final int FRAMES = 2048;
    /** Blocks of each mount (pmem frames on fsdax). */
    private static final int BLOCKS = 64;

    /** The selftest's test cases, in its order ({@code test_cases[]}); io_uring's need liburing. */
    public enum Case {
        SHARED_RW("R/W longterm GUP pin in MAP_SHARED file mapping", true, true, false, false),
        SHARED_RW_FAST("R/W longterm GUP-fast pin in MAP_SHARED file mapping", true, true, true, false),
        SHARED_RO("R/O longterm GUP pin in MAP_SHARED file mapping", true, false, false, false),
        SHARED_RO_FAST("R/O longterm GUP-fast pin in MAP_SHARED file mapping", true, false, true, false),
        PRIVATE_RW("R/W longterm GUP pin in MAP_PRIVATE file mapping", false, true, false, false),
        PRIVATE_RW_FAST("R/W longterm GUP-fast pin in MAP_PRIVATE file mapping", false, true, true, false),
        PRIVATE_RO("R/O longterm GUP pin in MAP_PRIVATE file mapping", false, false, false, false),
        PRIVATE_RO_FAST("R/O longterm GUP-fast pin in MAP_PRIVATE file mapping", false, false, true, false),
        /** io_uring always pins writable, through {@code pin_user_pages_fast}. */
        SHARED_IOURING("io_uring fixed buffer with MAP_SHARED file mapping", true, true, true, true),
        PRIVATE_IOURING("io_uring fixed buffer with MAP_PRIVATE file mapping", false, true, true, true);

        private final String description;
        private final boolean shared;
        private final boolean rw;
        private final boolean fast;
        private final boolean iouring;

        Case(String description, boolean shared, boolean rw, boolean fast, boolean iouring) {
            this.description = description;
            this.shared = shared;
            this.rw = rw;
            this.fast = fast;
            this.iouring = iouring;
        }

        /** The selftest's {@code desc}. */
        public String description() {
            return description;
        }

        /** MAP_SHARED, else MAP_PRIVATE. */
        public boolean shared() {
            return shared;
        }

        /** Whether the pin is writable (FOLL_WRITE); io_uring's always is. */
        public boolean rw() {
            return rw;
        }

        /** Whether the pin goes through {@code pin_user_pages_fast}. */
        public boolean fast() {
            return fast;
        }

        /** Whether it is an io_uring fixed buffer rather than {@code PIN_LONGTERM_TEST_START}. */
        public boolean iouring() {
            return iouring;
        }
    }

    /** What {@code fstatfs} tells the selftest ({@code get_fs_type}): the superblock's magic. */
    private enum FsMagic {
        TMPFS, EXT4, XFS, BTRFS;

        /** {@code fs_supports_writable_longterm_pinning}: tmpfs and hugetlbfs only. */
        boolean supportsWritableLongtermPinning() {
            return this == TMPFS;
        }
    }

    /** Where the file lives: the selftest's {@code run_with_*} backends, in its order, local files per filesystem. */
    public enum Backend {
        /** {@code run_with_memfd}: {@code memfd_create}, a shmem file on the kernel's internal mount. */
        MEMFD("with memfd", "tmpfs", "shm_mnt", FsMagic.TMPFS, false),
        /** {@code run_with_tmpfile}: {@code tmpfile(3)} in {@code /tmp}, a tmpfs here. */
        TMPFILE("with tmpfile", "tmpfs", "/tmp", FsMagic.TMPFS, false),
        /** {@code run_with_local_tmpfile} in a directory on ext4. */
        LOCAL_EXT4("with local tmpfile (ext4)", "ext4", "/mnt/ext4", FsMagic.EXT4, false),
        /** {@code run_with_local_tmpfile} in a directory on xfs. */
        LOCAL_XFS("with local tmpfile (xfs)", "xfs", "/mnt/xfs", FsMagic.XFS, false),
        /** {@code run_with_local_tmpfile} in a directory on btrfs. */
        LOCAL_BTRFS("with local tmpfile (btrfs)", "btrfs", "/mnt/btrfs", FsMagic.BTRFS, false),
        /** {@code run_with_local_tmpfile} in a directory on xfs mounted {@code -o dax} (the model's {@code dax} type). */
        LOCAL_FSDAX("with local tmpfile (xfs -o dax)", "dax", "/mnt/pmem", FsMagic.XFS, true);

        private final String description;
        private final String filesystem;
        private final String path;
        private final FsMagic magic;
        private final boolean fsdax;

        Backend(String description, String filesystem, String path, FsMagic magic, boolean fsdax) {
            this.description = description;
            this.filesystem = filesystem;
            this.path = path;
            this.magic = magic;
            this.fsdax = fsdax;
        }

        /** What the selftest's {@code [RUN]} line says after the dots. */
        public String description() {
            return description;
        }

        /** The {@link FilesystemType} the model mounts, by name. */
        public String filesystem() {
            return filesystem;
        }
    }

    /**
     * What the v6.12 kernel answers for one cell.
     *
     * @param errno 0 if the pin succeeds, else the negative errno it fails with
     * @param why   the kernel functions that decide it, and the version where that is known
     */
    public record Expected(int errno, String why) {
    }

    /** A cell's verdict, as kselftest counts it. */
    public enum Verdict { PASS, FAIL, SKIP }

    /**
     * One cell run on its machine.
     *
     * @param number   its TAP test number
     * @param expected what the kernel answers
     * @param got      what the model answered: 0, or the pin's negative errno
     * @param message  the selftest's message for it ({@code Should have worked}, ...)
     * @param notes    comment lines: the model's findings on the cell's machine, a fault
     */
    public record Cell(int number, Case testCase, Backend backend, Expected expected, int got, Verdict verdict,
                       String message, List<String> notes) {

        public Cell {
            notes = List.copyOf(notes);
        }

        /** The selftest's {@code [RUN]} text: {@code <case> ... <backend>}. */
        public String name() {
            return name(testCase, backend);
        }

        static String name(Case c, Backend b) {
            return c.description() + " ... " + b.description();
        }
    }

    /**
     * A whole run.
     *
     * @param admission the admission policy's name the machines used
     * @param pinLayout the pin tracker's name
     */
    public record Result(List<Cell> cells, String admission, String pinLayout) {

        public Result {
            cells = List.copyOf(cells);
        }

        public long count(Verdict v) {
            return cells.stream().filter(c -> c.verdict() == v).count();
        }

        /** Whether every cell passed or was skipped, as {@code ksft_exit_pass} would exit. */
        public boolean passed() {
            return count(Verdict.FAIL) == 0;
        }

        /**
         * The selftest's TAP: {@code TAP version 13}, the plan, per cell a {@code # [RUN]}
         * line, a {@code # pinlab:} line with the kernel's and the model's answer and why, and
         * {@code ok N} or {@code not ok N}; then, as {@code ksft_exit_fail_msg} prints them, a
         * {@code Bail out!} line if any failed, and the totals.
         */
        public String format() {
            StringBuilder out = new StringBuilder("TAP version 13\n1..").append(cells.size()).append('\n');
            out.append("# pinlab: admission ").append(admission).append(", pin-layout ").append(pinLayout)
                    .append("; no hugetlbfs in the model, so no \"with memfd hugetlb\" runs\n");
            for (Cell c : cells) {
                out.append("# [RUN] ").append(c.name()).append('\n');
                out.append("# pinlab: kernel ").append(answer(c.expected().errno())).append(", model ")
                        .append(answer(c.got())).append(": ").append(c.expected().why()).append('\n');
                for (String note : c.notes()) {
                    out.append("# pinlab: ").append(note).append('\n');
                }
                switch (c.verdict()) {
                    case PASS -> out.append("ok ").append(c.number()).append(' ').append(c.message()).append('\n');
                    case FAIL -> out.append("not ok ").append(c.number()).append(' ').append(c.message()).append('\n');
                    case SKIP -> out.append("ok ").append(c.number()).append(" # SKIP ").append(c.message()).append('\n');
                    default -> throw new IllegalStateException(c.verdict().name());
                }
            }
            long failed = count(Verdict.FAIL);
            if (failed > 0) {
                out.append("Bail out! ").append(failed).append(" out of ").append(cells.size())
                        .append(" tests failed\n");
            }
            out.append(String.format(Locale.ROOT, "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0%n",
                    count(Verdict.PASS), failed, count(Verdict.SKIP)));
            return out.toString();
        }

        private static String answer(int ret) {
            return ret == 0 ? "pins" : Errno.describe(ret);
        }
    }

    private final Choices choices;
    private final PinTracker pinTracker;
    private final PageAllocator allocator;
    private final Implementations filesystems;

    /**
     * @param choices     the policies each machine decides with; only the admission policy
     *                    ({@code check_vma_flags}) meets these pins
     * @param pinTracker  the pin layout (the {@code merged} service)
     * @param allocator   the page allocator (the {@code buddy} service)
     * @param filesystems the {@link Families#FILESYSTEM} types by name: {@code tmpfs},
     *                    {@code ext4}, {@code xfs}, {@code btrfs}, {@code dax}; a backend whose
     *                    type is missing is skipped
     */
    public GupLongterm(Choices choices, PinTracker pinTracker, PageAllocator allocator, Implementations filesystems) {
        this.choices = Objects.requireNonNull(choices, "choices");
        this.pinTracker = Objects.requireNonNull(pinTracker, "pinTracker");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.filesystems = Objects.requireNonNull(filesystems, "filesystems");
    }

    /**
     * Words each of which picks out a group of cells for {@link #run(List)}: the backends,
     * the mappings, the GUP-fast and io_uring cases and the pins' direction. For a shell's
     * completion.
     */
    public static final List<String> FILTER_WORDS = List.of("memfd", "tmpfile", "ext4", "xfs", "btrfs", "dax",
            "MAP_SHARED", "MAP_PRIVATE", "GUP-fast", "io_uring", "R/W", "R/O");

    /** Every cell's {@code [RUN]} text, in the selftest's order: each case on every backend. */
    public static List<String> cellNames() {
        return cellNames(List.of());
    }

    /** The {@code [RUN]} text of the cells {@link #run(List)} runs for {@code filter}, in order. */
    public static List<String> cellNames(List<String> filter) {
        List<String> names = new ArrayList<>();
        for (Case c : Case.values()) {
            for (Backend b : Backend.values()) {
                if (matches(c, b, filter)) {
                    names.add(Cell.name(c, b));
                }
            }
        }
        return names;
    }

    /** Whether the cell's {@code [RUN]} text contains every string of {@code filter}, ignoring case. */
    private static boolean matches(Case c, Backend b, List<String> filter) {
        String name = Cell.name(c, b).toLowerCase(Locale.ROOT);
        return filter.stream().allMatch(w -> name.contains(w.toLowerCase(Locale.ROOT)));
    }

    /** Runs every cell. */
    public Result run() {
        return run(List.of());
    }

    /**
     * Runs the cells whose {@code [RUN]} text contains every string of {@code filter},
     * ignoring case ({@code ext4}; {@code GUP-fast}, {@code MAP_PRIVATE}; {@code "GUP pin"}
     * for the slow path alone), numbered from 1.
     *
     * @throws IllegalArgumentException if no cell matches, naming the filter
     */
    public Result run(List<String> filter) {
        List<Cell> cells = new ArrayList<>();
        for (Case c : Case.values()) { // run_test_case for each of test_cases[]
            for (Backend b : Backend.values()) {
                if (matches(c, b, filter)) {
                    cells.add(runCell(cells.size() + 1, c, b));
                }
            }
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("gup_longterm: no test matches '" + String.join(" ", filter)
                    + "'; each is named '<case> ... <backend>', e.g. '" + cellNames().get(0) + "'");
        }
        return new Result(cells, choices.admission().name(), pinTracker.name());
    }

    /**
     * What the v6.12 kernel answers for a cell: {@code do_test}'s {@code should_work} ("R/O
     * pinning or pinning in a private mapping is always expected to work", otherwise only on
     * tmpfs and hugetlbfs), failing with -EFAULT when it does not work, and -EOPNOTSUPP for
     * every long-term pin on fsdax.
     */
    public static Expected expected(Case c, Backend b) {
        if (b.fsdax) {
            // check_vma_flags tests vma_is_fsdax before any write check (mm/gup.c, 6.1 and 6.12)
            return new Expected(Errno.EOPNOTSUPP.negative(), "check_vma_flags refuses FOLL_LONGTERM on fsdax"
                    + " (vma_is_fsdax), shared or private; the selftest would count it as failed");
        }
        boolean shouldWork = !c.shared() || !c.rw() || b.magic.supportsWritableLongtermPinning();
        String via = c.iouring() ? "io_pin_pages -> pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM), " : "";
        if (shouldWork) {
            String why = !c.shared() && c.rw()
                    ? "MAP_PRIVATE: the memset broke COW (do_cow_fault); writable_file_mapping_allowed refuses VM_SHARED only"
                    : !c.shared() ? "MAP_PRIVATE: the memset's COW copy is exclusive, gup_must_unshare has nothing to do"
                    : !c.rw() ? "R/O: check_vma_flags has no write to refuse"
                    : "shmem: vma_needs_dirty_tracking is false";
            return new Expected(0, via + why);
        }
        String fast = c.fast() ? "gup_fast_folio_allowed rejects the page-cache folio (v6.5, a6e79df92e4a), then " : "";
        return new Expected(Errno.EFAULT.negative(), via + fast
                + "check_vma_flags -> writable_file_mapping_allowed (v6.5, 8ac268436e6d)");
    }

    private Cell runCell(int number, Case c, Backend b) {
        Expected expected = expected(c, b);
        if (!filesystems.has(Families.FILESYSTEM, b.filesystem())) {
            return new Cell(number, c, b, expected, 0, Verdict.SKIP, "no " + b.filesystem()
                    + " filesystem type is registered", List.of());
        }
        FilesystemType type = filesystems.get(Families.FILESYSTEM, b.filesystem());
        Machine machine = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(FRAMES)).allocator(allocator).pinTracker(pinTracker).choices(choices)
                .build();
        Kernel k = MachineKernel.of(machine);
        Engine engine = machine.engine();
        PinAccounting pins = k.pins.accounting();
        Mount mount = k.mounts.mount(b.path, type, Map.of(), BLOCKS);
        Inode file = k.filemap.createFile(mount, 1); // ftruncate(fd, pagesize)
        Mm mm = k.mmap.newMm(OWNER);
        Vma mem = k.mmap.mmap(mm, 1, c.shared(), true, file, 0); // mmap(PROT_READ | PROT_WRITE)
        List<String> notes = new ArrayList<>();
        // memset(mem, 0, size): "Fault in the page such that GUP-fast can pin it directly."
        UserAccess memset = new UserAccess(k.memory, mm, mem.startVpn(), true);
        Syscall.runToEnd(OWNER, engine, engine.spawn(OWNER, memset, 0));
        if (memset.result != HandleMmFault.OK) {
            notes.add("memset faulted (" + fault(memset.result) + "): the selftest would die of the signal");
            return new Cell(number, c, b, expected, 0, Verdict.FAIL, "memset() faulted", notes);
        }
        if (!c.rw()) {
            k.mmap.mprotect(mem, false); // mprotect(mem, size, PROT_READ)
        }
        long acquired = pins.pinsAcquired();
        int got;
        if (c.iouring()) {
            IoSqeBufferRegister register = new IoSqeBufferRegister(k, mm, mem.startVpn(), 1, OWNER);
            Syscall.runToEnd(OWNER, engine, engine.spawn(OWNER, register, 0));
            got = register.result;
            register.unregister(); // io_uring_unregister_buffers, io_uring_queue_exit
        } else {
            PinLongtermTestStart start = new PinLongtermTestStart(k, mm, mem.startVpn(), 1, c.rw(), c.fast(), OWNER);
            Syscall.runToEnd(OWNER, engine, engine.spawn(OWNER, start, 0));
            got = start.result;
            start.stop(); // PIN_LONGTERM_TEST_STOP
        }
        checkReleased(k, mm, c, b, pins.pinsAcquired() - acquired);
        k.mmap.munmap(mm, mem);
        machine.findings().forEach(f -> notes.add("finding: " + f.kind() + ": " + f.message()));
        return verdict(number, c, b, expected, got, notes);
    }

    /**
     * {@code do_test}'s verdict on what the pin returned, with the port's rule that the errno
     * must be the kernel's: the PIN cases skip on -EINVAL and the io_uring cases on errors it
     * does not list, as the selftest does.
     */
    static Cell verdict(int number, Case c, Backend b, Expected expected, int got, List<String> notes) {
        int efault = Errno.EFAULT.negative();
        boolean match = got == expected.errno();
        if (got == 0) {
            return new Cell(number, c, b, expected, got, match ? Verdict.PASS : Verdict.FAIL, "Should have worked", notes);
        }
        if (c.iouring()) {
            // "Only new kernels return EFAULT."
            boolean listed = got == Errno.ENOSPC.negative() || got == Errno.EOPNOTSUPP.negative() || got == efault;
            return listed ? new Cell(number, c, b, expected, got, match ? Verdict.PASS : Verdict.FAIL,
                    "Should have failed", notes)
                    : new Cell(number, c, b, expected, got, Verdict.SKIP, "io_uring_register_buffers() failed", notes);
        }
        if (got == Errno.EINVAL.negative()) {
            return new Cell(number, c, b, expected, got, Verdict.SKIP, "PIN_LONGTERM_TEST_START failed", notes);
        }
        if (got == efault || match) {
            return new Cell(number, c, b, expected, got, match ? Verdict.PASS : Verdict.FAIL, "Should have failed", notes);
        }
        return new Cell(number, c, b, expected, got, Verdict.FAIL, "PIN_LONGTERM_TEST_START failed", notes);
    }

    /** After STOP or unregister: nothing outstanding, every pin taken also released, nothing charged. */
    private static void checkReleased(Kernel k, Mm mm, Case c, Backend b, long acquired) {
        PinAccounting pins = k.pins.accounting();
        if (!pins.outstanding().isEmpty() || pins.pinsAcquired() != pins.pinsReleased() || mm.pinnedVm() != 0) {
            throw new IllegalStateException("gup_longterm: " + Cell.name(c, b) + ": pins left after the test: "
                    + pins.outstanding() + ", nr_foll_pin_acquired " + pins.pinsAcquired() + " (+" + acquired
                    + "), nr_foll_pin_released " + pins.pinsReleased() + ", pinned_vm " + mm.pinnedVm());
        }
    }

    private static String fault(int result) {
        return switch (result) {
            case HandleMmFault.SIGSEGV -> "SIGSEGV";
            case HandleMmFault.SIGBUS -> "SIGBUS";
            case HandleMmFault.OOM -> "VM_FAULT_OOM";
            case HandleMmFault.HWPOISON -> "SIGBUS (BUS_MCEERR_AR, hwpoison)";
            default -> "fault " + result;
        };
    }
}
