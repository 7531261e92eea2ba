package org.pinlab.kernel.selftests;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.Task;

/**
 * The kernel's gup_test on a model machine: the selftest
 * ({@code tools/testing/selftests/mm/gup_test.c}) maps and faults in a buffer of {@code -m}
 * MB, then the debugfs ioctl ({@code mm/gup_test.c}, {@code __gup_test_ioctl}) grabs it
 * {@code -n} pages per call with the chosen GUP call, checks the pages are DMA-pinned, and
 * puts them back, timing both halves: {@code Time: get:G put:P us}.
 *
 * <pre>{@code
 * GupTest.Result r = new GupTest(GupTest.parse("-m", "1024", "-n", "512", "-L", "-t"), tracker, allocator).run();
 * System.out.print(r.format());
 * }</pre>
 *
 * <p>Times. The get and put times are wall time of the model on the host, taken around the
 * calls as the ioctl takes {@code ktime_get()} around them: the point of a benchmark, and
 * outside the model's determinism. The first repeats of a fresh JVM run code the JIT has
 * not compiled yet and can be ten times slower: ask for {@code -r 10} to see the steady
 * state. Beside them each repeat carries the simulated time the
 * machine's {@link CostTable} charges for the same work on its virtual clock, which is
 * deterministic. After every repeat the pin counters and every folio's refcount must be
 * back where they were, or {@link IllegalStateException}.
 *
 * <p>What the model does differently, each also said where it applies:
 * <ul>
 * <li>{@code -S} (MAP_SHARED of /dev/zero, shmem in the kernel) maps private anonymous
 *     memory: the pin accounting of a shmem folio is the same, and shmem may be pinned long
 *     term too; the shmem page cache is not modelled here.</li>
 * <li>{@code -t} and {@code -H} back the buffer with order-9 (2 MiB) folios, each mapped by
 *     one PMD leaf as the kernel maps them, which GUP takes in one look and one grab
 *     ({@code gup_fast_pmd_leaf}, {@code follow_huge_pmd}); the model keeps the 512 PTEs
 *     under it too, and the folio counts a reference and a mapcount per subpage as a
 *     PTE-mapped THP does (the pin counts are the kernel's). Without {@code -t} the
 *     buffer is small pages, as with THP set to {@code madvise}. Hugetlb pages are modelled
 *     as those anonymous folios; the length is rounded up to whole huge pages as
 *     {@code mmap(MAP_HUGETLB)} does.</li>
 * <li>{@code pin_user_pages} and {@code get_user_pages} take {@code mmap_lock} per call,
 *     where the ioctl holds it across its loop; a call that stops part-way returns how many
 *     pages it took, as the kernel's do, and the loop counts them.</li>
 * <li>{@code -c} (DUMP_USER_PAGES_TEST) writes {@code dump_page}'s lines to the machine's
 *     kernel log from the model's frame state; {@code DumpPage} says where they differ from
 *     the kernel's.</li>
 * <li>{@code -F}, {@code -f}, {@code -j} and {@code -z} are not modelled, and are refused by
 *     {@link #parse}.</li>
 * </ul>
 *
 * <p>One machine per {@link #mmap()}, built with lockdep off and a fixed seed; an instance
 * is not thread-safe, but separate instances run in parallel.
 */
public final class GupTest {

    /** Refused above this: 4 TiB of buffer, as a machine holds at most {@code Integer.MAX_VALUE} frames. */
    public static final int MAX_MEGABYTES = 1 << 22;

    /** The flags {@link #parse} accepts, for an error message or a command's help. */
    public static final String USAGE = "-m MB (default 128), -n pages per call (default 1; negative: all of -m),"
            + " -r repeats (default 1), one of -u (default) -a -L -U -b -c, -t or -T (THP on/off), -H (hugetlb),"
            + " -w or -W (FOLL_WRITE on (default)/off), -S (MAP_SHARED), -p (with -c: pin, not get),"
            + " and with -c up to 8 page numbers (0-based; default 0)";

    /** {@code GUP_TEST_MAX_PAGES_TO_DUMP} (mm/gup_test.h): the pages one DUMP_USER_PAGES_TEST may dump. */
    public static final int MAX_PAGES_TO_DUMP = 8;

    static final int PAGES_PER_MB = (1 << 20) / MemoryLayout.PAGE_SIZE;
    private static final int HUGE_PAGES = 1 << MemoryLayout.HPAGE_PMD_ORDER;
    /** Java heap per simulated frame beyond the frame store: allocator bitmaps, the LRU entry and its growth slack. */
    private static final int OTHER_BYTES_PER_FRAME = 24;
    /** Java heap per buffer page: its PTE slot, the ioctl's pages[] (which the pin records keep), the baseline. */
    private static final int BYTES_PER_BUFFER_PAGE = Integer.BYTES + 1 + 2 * Integer.BYTES;
    /** Java heap per GUP call held during an ioctl: the call, its pin record and the record's map entry. */
    private static final int BYTES_PER_CALL = 256;
    static final String OWNER = "gup_test";

    /** The ioctl commands the model runs (include/mm/gup_test.h), with the selftest's option letter. */
    public enum Command {
        /** {@code -u}: {@code get_user_pages_fast}, FOLL_GET, released with {@code put_page}; the default. */
        GUP_FAST_BENCHMARK('u', Foll.GET, true, true),
        /** {@code -a}: {@code pin_user_pages_fast}, released with {@code unpin_user_pages}. */
        PIN_FAST_BENCHMARK('a', Foll.PIN, true, true),
        /** {@code -L}: {@code pin_user_pages} with FOLL_LONGTERM (the slow path). */
        PIN_LONGTERM_BENCHMARK('L', Foll.PIN | Foll.LONGTERM, false, true),
        /** {@code -U}: {@code get_user_pages}, FOLL_GET; a test: runs once and prints {@code done}. */
        GUP_BASIC_TEST('U', Foll.GET, false, false),
        /** {@code -b}: {@code pin_user_pages}; a test: runs once and prints {@code done}. */
        PIN_BASIC_TEST('b', Foll.PIN, false, false),
        /**
         * {@code -c}: {@code get_user_pages} (with {@code -p}, {@code pin_user_pages}), then
         * {@code dump_page} of each chosen page to the kernel log; a test: runs once.
         */
        DUMP_USER_PAGES_TEST('c', Foll.GET, false, false);

        private final char option;
        private final int foll;
        private final boolean fast;
        private final boolean benchmark;

        Command(char option, int foll, boolean fast, boolean benchmark) {
            this.option = option;
            this.foll = foll;
            this.fast = fast;
            this.benchmark = benchmark;
        }

        /** The selftest's option letter. */
        public char option() {
            return option;
        }

        /** The {@link Foll} flags of the call, without FOLL_WRITE (DUMP_USER_PAGES_TEST's without {@code -p}). */
        public int foll() {
            return foll;
        }

        /** Whether it is a {@code *_BENCHMARK}: only those repeat ({@code -r}) and print their times. */
        public boolean benchmark() {
            return benchmark;
        }
    }

    /** What the selftest tells {@code madvise} about THP: nothing, {@code -t} or {@code -T}. */
    public enum Thp {
        /** No madvise: small pages, as with THP set to {@code madvise}. */
        DEFAULT,
        /** {@code -t}: {@code MADV_HUGEPAGE}. */
        HUGEPAGE,
        /** {@code -T}: {@code MADV_NOHUGEPAGE}. */
        NOHUGEPAGE
    }

    /**
     * A gup_test command line; {@link #DEFAULTS} are the selftest's.
     *
     * @param megabytes    {@code -m}: the buffer, in MB
     * @param pagesPerCall {@code -n}: {@code nr_pages_per_call}
     * @param repeats      {@code -r}: ioctls of a {@code *_BENCHMARK}
     * @param command      {@code -u -a -L -U -b}
     * @param thp          {@code -t -T}
     * @param hugetlb      {@code -H}: MAP_HUGETLB
     * @param write        {@code -w -W}: FOLL_WRITE, on by default
     * @param shared       {@code -S}: MAP_SHARED (modelled as private, see the class comment)
     * @param dumpPages    for DUMP_USER_PAGES_TEST: the 0-based pages to dump, at most
     *                     {@link #MAX_PAGES_TO_DUMP} ({@code which_pages}, which holds them 1-based)
     * @param dumpWithPin  {@code -p}: GUP_TEST_FLAG_DUMP_PAGES_USE_PIN, {@code pin_user_pages}
     *                     instead of {@code get_user_pages}
     */
    public record Options(int megabytes, int pagesPerCall, int repeats, Command command, Thp thp,
                          boolean hugetlb, boolean write, boolean shared, List<Integer> dumpPages,
                          boolean dumpWithPin) {

        /** The selftest's defaults: {@code -m 128 -n 1 -r 1 -u -w}, no madvise, private. */
        public static final Options DEFAULTS = new Options(128, 1, 1, Command.GUP_FAST_BENCHMARK, Thp.DEFAULT,
                false, true, false);

        /** @throws IllegalArgumentException naming the bad value and the valid range */
        public Options {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(thp, "thp");
            requireRange("-m", "a size in MB", megabytes, 1, MAX_MEGABYTES);
            requireRange("-n", "pages per call", pagesPerCall, 1, Integer.MAX_VALUE);
            requireRange("-r", "repeats", repeats, 1, Integer.MAX_VALUE);
            dumpPages = List.copyOf(dumpPages);
            DumpPagesTest.check(command, dumpPages, dumpWithPin);
        }

        /** Without DUMP_USER_PAGES_TEST's pages and {@code -p}. */
        public Options(int megabytes, int pagesPerCall, int repeats, Command command, Thp thp, boolean hugetlb,
                       boolean write, boolean shared) {
            this(megabytes, pagesPerCall, repeats, command, thp, hugetlb, write, shared, List.of(), false);
        }

        /** Pages the ioctl grabs: {@code gup->size / PAGE_SIZE}. */
        public int pages() {
            return megabytes * PAGES_PER_MB;
        }

        /** Whether the buffer is backed by huge folios ({@code -t} or {@code -H}). */
        public boolean huge() {
            return hugetlb || thp == Thp.HUGEPAGE;
        }

        /** The flags every call passes: the command's (FOLL_PIN for a dump with {@code -p}) and FOLL_WRITE. */
        public int foll() {
            int call = command == Command.DUMP_USER_PAGES_TEST && dumpWithPin ? Foll.PIN : command.foll;
            return call | (write ? Foll.WRITE : 0);
        }

        /** Pages the mapping spans: the buffer, rounded up to whole huge pages for hugetlb. */
        int mappedPages() {
            return hugetlb ? (pages() + HUGE_PAGES - 1) / HUGE_PAGES * HUGE_PAGES : pages();
        }

        /** The machine's frames: the mapping plus headroom that keeps free memory above the watermarks. */
        long frames() {
            return mappedPages() + mappedPages() / 16L + 2 * HUGE_PAGES;
        }

        static void requireRange(String flag, String what, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException("gup_test: " + flag + " wants " + what + " from " + min + " to "
                        + max + ", got " + value);
            }
        }
    }

    /**
     * One ioctl: what was grabbed and how long each half took.
     *
     * @param pages             pages grabbed ({@code nr_pages}); fewer than asked means truncated
     * @param getNanos          wall time of the grab loop on the host
     * @param putNanos          wall time of {@code put_back_pages} on the host
     * @param simulatedGetNanos the grab loop on the machine's virtual clock
     * @param simulatedPutNanos {@code put_back_pages} on the machine's virtual clock
     * @param folios            distinct folios grabbed
     * @param refsTaken         what the grabs added to those folios' refcounts (1024 a pin on a
     *                          small page with the merged layout, 1 a pin on a large folio)
     * @param pincountTaken     what the grabs added to large folios' exact {@code _pincount}
     */
    public record Repeat(int pages, long getNanos, long putNanos, long simulatedGetNanos, long simulatedPutNanos,
                         int folios, long refsTaken, long pincountTaken) {

        /** {@code gup->get_delta_usec}: whole microseconds, as {@code ktime_us_delta} gives. */
        public long getMicros() {
            return getNanos / 1000;
        }

        /** {@code gup->put_delta_usec}. */
        public long putMicros() {
            return putNanos / 1000;
        }

        public double getNsPerPage() {
            return pages == 0 ? 0 : (double) getNanos / pages;
        }

        public double putNsPerPage() {
            return pages == 0 ? 0 : (double) putNanos / pages;
        }

        /** {@code gup->size} after the ioctl: the bytes grabbed. */
        public long sizeBytes() {
            return (long) pages * MemoryLayout.PAGE_SIZE;
        }
    }

    /**
     * A whole gup_test run.
     *
     * @param options   the command line
     * @param pinLayout the pin tracker's name, e.g. {@code merged}
     * @param repeats   one per ioctl, in order
     * @param notes     where the model departs from the kernel for these options
     * @param findings  what the machine reported (a WARN of a pin count overflow, say), one line each
     * @param dmesg     the machine's kernel log: DUMP_USER_PAGES_TEST's page dumps
     */
    public record Result(Options options, String pinLayout, List<Repeat> repeats, List<String> notes,
                         List<String> findings, List<String> dmesg) {

        public Result {
            repeats = List.copyOf(repeats);
            notes = List.copyOf(notes);
            findings = List.copyOf(findings);
            dmesg = List.copyOf(dmesg);
        }

        /** With an empty kernel log. */
        public Result(Options options, String pinLayout, List<Repeat> repeats, List<String> notes,
                      List<String> findings) {
            this(options, pinLayout, repeats, notes, findings, List.of());
        }

        /**
         * The selftest's output (TAP, as kselftest prints it), one
         * {@code # CMD: Time: get:G put:P us} line per repeat of a benchmark or
         * {@code # CMD: done} for a test, each followed by a {@code # pinlab:} line with
         * ns per page, the simulated times and the accounting, then the kernel log, one
         * {@code # pinlab: dmesg:} line each (where DUMP_USER_PAGES_TEST's dumps go). Departure:
         * kselftest prints a stray {@code "# "} before the newline of each time line; it is left out.
         */
        public String format() {
            StringBuilder out = new StringBuilder("TAP version 13\n1..1\n");
            for (String note : notes) {
                out.append("# pinlab: ").append(note).append('\n');
            }
            String name = options.command().name();
            for (Repeat r : repeats) {
                boolean truncated = r.pages() != options.pages();
                if (options.command().benchmark()) {
                    out.append("# ").append(name).append(": Time: get:").append(r.getMicros()).append(" put:")
                            .append(r.putMicros()).append(" us");
                    out.append(truncated ? ", truncated (size: " + r.sizeBytes() + ")\n" : "\n");
                } else {
                    out.append("# ").append(name).append(": done\n");
                    out.append(truncated ? "# Truncated (size: " + r.sizeBytes() + ")\n" : "");
                }
                out.append(String.format(Locale.ROOT, "# pinlab: %d pages, get %.1f put %.1f ns/page;"
                                + " simulated get:%d put:%d us; %d folios, refcount +%d, _pincount +%d (%s)%n",
                        r.pages(), r.getNsPerPage(), r.putNsPerPage(), r.simulatedGetNanos() / 1000,
                        r.simulatedPutNanos() / 1000, r.folios(), r.refsTaken(), r.pincountTaken(), pinLayout));
            }
            for (String line : dmesg) {
                out.append("# pinlab: dmesg: ").append(line).append('\n');
            }
            for (String f : findings) {
                out.append("# pinlab: finding: ").append(f).append('\n');
            }
            // the ioctl returns 0 even when truncated: only a bad argument fails it
            out.append("ok 1 ioctl status 0\n# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n");
            return out.toString();
        }
    }

    private final Options options;
    private final PinTracker pinTracker;
    private final PageAllocator allocator;

    /**
     * @param pinTracker the pin layout (the {@code merged}, {@code foll-pin-2019} or {@code rfc-2019} service)
     * @param allocator  the page allocator (the {@code buddy} service)
     * @throws IllegalArgumentException if the machine {@code -m} asks for cannot fit in this JVM's heap
     */
    public GupTest(Options options, PinTracker pinTracker, PageAllocator allocator) {
        this.options = Objects.requireNonNull(options, "options");
        this.pinTracker = Objects.requireNonNull(pinTracker, "pinTracker");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        long need = heapBytesNeeded(options);
        long max = Runtime.getRuntime().maxMemory();
        if (need > max / 4 * 3) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "gup_test: -m %d -n %d needs about %d MiB"
                            + " of Java heap (%d simulated frames and %d pages to grab), more than 3/4 of this JVM's"
                            + " %d MiB: use a smaller -m, a larger -n or a larger -Xmx", options.megabytes(),
                    options.pagesPerCall(), need >> 20, options.frames(), options.pages(), max >> 20));
        }
    }

    /**
     * Java heap a run of these options needs, about: the machine's frames, the buffer's page
     * tables and arrays, and the GUP calls of one ioctl.
     */
    public static long heapBytesNeeded(Options options) {
        long calls = (options.pages() + (long) options.pagesPerCall() - 1) / options.pagesPerCall();
        return options.frames() * (FrameStore.BYTES_PER_FRAME + OTHER_BYTES_PER_FRAME)
                + (long) options.mappedPages() * BYTES_PER_BUFFER_PAGE + calls * BYTES_PER_CALL;
    }

    /**
     * Parses gup_test's own flags as its {@code getopt} does ({@code -Lt} and {@code -m8}
     * work too), strictly: an unknown flag, a flag the model does not have, a missing or bad
     * number, or a stray argument is an error. As in the selftest, a negative {@code -n}
     * means all the pages of the size given so far.
     *
     * @throws IllegalArgumentException one line saying what was wrong and what is valid
     */
    public static Options parse(String... args) {
        return GupTestGetopt.parse(args);
    }

    /** Maps and faults in the buffer on a new machine, then runs the ioctl once, or {@code -r} times for a benchmark. */
    public Result run() {
        Buffer buffer = mmap();
        // gup_thread: only the *_BENCHMARK commands repeat; a test runs once
        int times = options.command().benchmark() ? options.repeats() : 1;
        List<Repeat> repeats = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            repeats.add(buffer.ioctl());
        }
        return new Result(options, pinTracker.name(), repeats, notes(), buffer.findings(), buffer.dmesg());
    }

    /**
     * The selftest's {@code main} up to the ioctls: a machine sized from {@code -m}, the
     * buffer mapped ({@code mmap}), advised ({@code madvise}) and faulted in from user space.
     * Untimed; {@link Buffer#ioctl()} then runs one timed ioctl at a time.
     *
     * @throws IllegalStateException if the machine does not fit in the heap after all
     */
    public Buffer mmap() {
        try {
            Machine machine = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst()).lockdep(false)
                    .memory(MemoryLayout.normalOnly(options.frames())).allocator(allocator).pinTracker(pinTracker)
                    .build();
            Kernel k = MachineKernel.of(machine);
            Mm mm = k.mmap.newMm(OWNER);
            Vma vma = k.mmap.mmap(mm, options.mappedPages(), false, true, null, 0); // do_mmap(PROT_READ|PROT_WRITE)
            k.mmap.populateAnon(mm, vma, options.huge()); // the selftest's p[0] = 0 on every page: do_anonymous_page
            return new Buffer(machine, mm, vma);
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("gup_test: -m " + options.megabytes() + " (about "
                    + (heapBytesNeeded(options) >> 20) + " MiB of Java heap) did not fit in what this JVM had free:"
                    + " use a smaller -m or a larger -Xmx", e);
        }
    }

    private List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (options.command() == Command.DUMP_USER_PAGES_TEST) {
            notes.add("-c: dump_page of the model's frames: mapping: stands in for the hashed pointer, flags: holds"
                    + " the flag bits alone (no node, zone or lastcpupid bits), no raw: lines");
        }
        if (options.shared()) {
            notes.add("-S: MAP_SHARED of /dev/zero is shmem in the kernel; modelled as private anonymous memory,"
                    + " whose pin accounting is the same");
        }
        if (options.hugetlb()) {
            notes.add("-H: hugetlb pages modelled as order-9 anonymous folios mapped by PMD leaves, pinned with the"
                    + " accounting of large folios");
        } else if (options.thp() == Thp.HUGEPAGE) {
            notes.add("-t: order-9 folios, each mapped by a PMD leaf; the model keeps its PTEs too (the pin counts are"
                    + " the same)");
            if (options.pages() % HUGE_PAGES != 0) {
                notes.add("-t: the last " + options.pages() % HUGE_PAGES + " pages are small pages: no whole huge"
                        + " page fits there");
            }
        }
        return notes;
    }

    /** A machine with the buffer mapped and faulted in, ready for ioctls. Not thread-safe. */
    public final class Buffer {

        private final Machine machine;
        private final Mm mm;
        private final Vma vma;
        /** Each buffer page's folio refcount before any grab: what put_back_pages must bring back. */
        private final int[] baseline;
        /**
         * The ioctl's {@code pages[]}, one array per call, which the call fills ({@code pages + i}
         * in the kernel) and its pin record keeps until {@code put_back_pages}. Departure: the
         * ioctl kvcallocs it each time before its clock starts; the buffer allocates it once, so
         * that no ioctl spends its timed part on the host's garbage collector copying it.
         */
        private final int[][] pages;

        private Buffer(Machine machine, Mm mm, Vma vma) {
            this.machine = machine;
            this.mm = mm;
            this.vma = vma;
            FrameStore frames = MachineKernel.of(machine).frames;
            baseline = new int[options.pages()];
            for (int s = 0; s < baseline.length; s++) {
                baseline[s] = frames.refcount(frames.compoundHead(vma.pfnAt(s)));
            }
            pages = pagesArrays();
        }

        /**
         * One ioctl ({@code __gup_test_ioctl}): grab the buffer {@code -n} pages per call,
         * timed; check each page is DMA-pinned (and long-term pinnable for {@code -L}),
         * untimed; put them all back, timed; then check every count is back.
         *
         * @throws IllegalStateException if the machine stops, a grabbed page is not pinned,
         *         or a pin counter or refcount is not back where it was
         */
        public Repeat ioctl() {
            Kernel k = MachineKernel.of(machine);
            Engine engine = machine.engine();
            PinAccounting pins = k.pins.accounting();
            long acquired = pins.pinsAcquired();
            long released = pins.pinsReleased();
            GupLoop get = new GupLoop(k, mm, vma.startVpn(), pages, options.foll(), options.command().fast);
            long sim0 = engine.now();
            long t0 = System.nanoTime();
            runToEnd(engine, engine.spawn(OWNER, get, 0));
            long t1 = System.nanoTime();
            long sim1 = engine.now();
            Held held = verifyDmaPinned(get);
            if (options.command() == Command.DUMP_USER_PAGES_TEST) {
                DumpPagesTest.run(MachineKernel.of(machine), options, pages, vma, get.pages);
            }
            PutBackPages put = new PutBackPages(k, get.records, get.pages, options.foll());
            long t2 = System.nanoTime();
            runToEnd(engine, engine.spawn(OWNER, put, 0));
            long t3 = System.nanoTime();
            checkBalanced(get.pages, pins.pinsAcquired() - acquired, pins.pinsReleased() - released);
            return new Repeat(get.pages, t1 - t0, t3 - t2, sim1 - sim0, engine.now() - sim1, held.folios(),
                    held.refs(), held.pincount());
        }

        /** The ioctl's {@code pages[]}: {@code -n} entries a call, fewer for the last. */
        private int[][] pagesArrays() {
            int perCall = options.pagesPerCall();
            int calls = (int) ((options.pages() + (long) perCall - 1) / perCall);
            int[][] pages = new int[calls][];
            for (int c = 0; c < calls; c++) {
                pages[c] = new int[(int) Math.min(perCall, options.pages() - (long) c * perCall)];
            }
            return pages;
        }


        /** The machine's kernel log, oldest first. */
        public List<String> dmesg() {
            return machine.dmesg();
        }

        /** What the machine has reported so far, one line each. */
        public List<String> findings() {
            return machine.findings().stream().map(f -> f.kind() + ": " + f.message()).toList();
        }

        /**
         * {@code verify_dma_pinned} (mm/gup_test.c), and what the grabs added to each folio's
         * counts while held; where the kernel WARNs, the model throws.
         */
        private Held verifyDmaPinned(GupLoop get) {
            Kernel k = MachineKernel.of(machine);
            FrameStore frames = k.frames;
            // the PIN_* commands only: DUMP_USER_PAGES_TEST pins with -p but is not verified
            boolean pinned = (options.command().foll() & Foll.PIN) != 0;
            boolean longterm = (options.foll() & Foll.LONGTERM) != 0;
            int i = 0;
            int folios = 0;
            long refs = 0;
            long pincount = 0;
            int lastHead = -1;
            for (PinRecord r : get.records) {
                for (int pfn : r.pfns()) {
                    if (pinned && !k.pins.maybeDmaPinned(pfn)) { // folio_maybe_dma_pinned
                        throw new IllegalStateException("gup_test: pages[" + i + "] is NOT dma-pinned (pfn " + pfn + ")");
                    }
                    if (longterm && !k.pageAlloc.isLongtermPinnable(pfn)) { // folio_is_longterm_pinnable
                        throw new IllegalStateException("gup_test: pages[" + i + "] is NOT pinnable but pinned (pfn "
                                + pfn + ")");
                    }
                    int head = frames.compoundHead(pfn);
                    if (head != lastHead) { // a folio's pages come in a row
                        folios++;
                        refs += frames.refcount(head) - baseline[i];
                        pincount += frames.isLarge(head) ? frames.folioPincount(head) : 0;
                        lastHead = head;
                    }
                    i++;
                }
            }
            return new Held(folios, refs, pincount);
        }

        /** Every grab released, the vmstat pin counters even, every folio's refcount and pincount back. */
        private void checkBalanced(int pages, long acquired, long released) {
            Kernel k = MachineKernel.of(machine);
            if (!k.pins.accounting().outstanding().isEmpty()) {
                throw new IllegalStateException("gup_test: grabs still outstanding after put_back_pages: "
                        + k.pins.accounting().outstanding());
            }
            long expected = (options.foll() & Foll.PIN) != 0 ? pages : 0;
            if (acquired != expected || released != acquired) {
                throw new IllegalStateException("gup_test: nr_foll_pin_acquired +" + acquired + ", nr_foll_pin_released +"
                        + released + " for " + pages + " pages grabbed with " + Foll.describe(options.foll()));
            }
            FrameStore frames = k.frames;
            for (int s = 0; s < baseline.length; s++) {
                int head = frames.compoundHead(vma.pfnAt(s));
                int pincount = frames.isLarge(head) ? frames.folioPincount(head) : 0;
                if (frames.refcount(head) != baseline[s] || pincount != 0) {
                    throw new IllegalStateException("gup_test: page " + s + " (folio " + head + ") has refcount "
                            + frames.refcount(head) + " and _pincount " + pincount + " after put_back_pages; expected "
                            + baseline[s] + " and 0");
                }
            }
        }

        private void runToEnd(Engine engine, Task task) {
            Syscall.runToEnd(OWNER, engine, task);
        }
    }


    /** What the grabs of one ioctl added to the folios they hold. */
    record Held(int folios, long refs, long pincount) {
    }
}
