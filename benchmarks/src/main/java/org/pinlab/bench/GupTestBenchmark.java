package org.pinlab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.mm.GetUserPages;
import org.pinlab.kernel.internal.mm.GupFast;
import org.pinlab.kernel.internal.mm.Kernel;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.Task;

/**
 * The model's gup_test (tools/testing/selftests/mm/gup_test.c): pins {@code -m} MB of
 * populated anonymous memory {@code -n} pages per call, then unpins it, and times both
 * phases in wall time, printing gup_test's own line {@code Time: get:G put:P us} with ns
 * per page. {@code fast} is {@code -a} (pin_user_pages_fast), {@code longterm} is {@code -L}
 * (pin_user_pages with FOLL_LONGTERM, the slow path); {@code thp} backs the buffer with
 * PTE-mapped order-9 folios ({@code -H}'s effect on accounting). Merged pin accounting.
 *
 * <p>Goal: per page at least as fast as the kernel's published figures: 8 GiB of 4 KiB
 * pages pinned long term at about 62 ns/page and unpinned at about 15 ns/page; huge pages
 * about 1.4-3 ns per subpage.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class GupTestBenchmark {

    @Param("8192")
    public int megabytes;

    @Param("512")
    public int batch;

    @Param({"fast", "longterm"})
    public String mode;

    @Param({"false", "true"})
    public boolean thp;

    private Kernel k;
    private Machine machine;
    private Mm mm;
    private Vma vma;
    private long getNs;
    private long putNs;

    @Setup(Level.Trial)
    public void populate() {
        int pages = megabytes * 256;
        machine = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst()).lockdep(false)
                .memory(MemoryLayout.normalOnly(pages + 65_536)).allocator(new BuddyAllocatorService())
                .pinTracker(new MergedPinTracker()).build();
        k = machine.kernel();
        mm = k.newMm("gup_test");
        vma = k.mmap(mm, pages, false, true, null, 0);
        k.populateAnon(mm, vma, thp);
    }

    @Benchmark
    public int pinAndUnpin() {
        int foll = Foll.PIN | Foll.WRITE | ("longterm".equals(mode) ? Foll.LONGTERM : 0);
        List<PinRecord> records = new ArrayList<>(vma.pages() / batch + 1);
        long t0 = System.nanoTime();
        Task ioctl = machine.engine().spawn("gup_test", new Proc("gup_test_ioctl") {
            private long next = vma.startVpn();
            private GupFast fast;
            private GetUserPages slow;

            @Override
            protected int step(Task t) {
                if (pc == 1) {
                    records.add(fast != null ? fast.record() : slow.record());
                }
                long end = vma.startVpn() + vma.pages();
                if (next >= end) {
                    return t.ret();
                }
                int n = (int) Math.min(batch, end - next);
                pc = 1;
                if ("fast".equals(mode)) {
                    fast = new GupFast(k, mm, next, n, foll, "gup_test");
                    next += n;
                    return t.call(fast);
                }
                slow = GetUserPages.accounted(k, mm, next, n, foll, "gup_test");
                next += n;
                return t.call(slow);
            }
        }, 0);
        while (!ioctl.done() && machine.engine().step()) {
            // the flusher's timer keeps the machine alive: step until the ioctl returns
        }
        long t1 = System.nanoTime();
        for (PinRecord r : records) {
            k.pins().release(r, false); // unpin_user_pages
        }
        long t2 = System.nanoTime();
        getNs += t1 - t0;
        putNs += t2 - t1;
        if (k.pins().pinsAcquired() != k.pins().pinsReleased()) {
            throw new IllegalStateException("unbalanced pin counters");
        }
        return records.size();
    }

    @TearDown(Level.Iteration)
    public void report() {
        long pages = (long) megabytes * 256;
        System.out.printf("%n[gup_test -m %d -n %d %s%s] Time: get:%d put:%d us  (%.1f ns/page get, %.1f ns/page put)%n",
                megabytes, batch, "fast".equals(mode) ? "-a" : "-L", thp ? " -H" : "", getNs / 1000, putNs / 1000,
                (double) getNs / pages, (double) putNs / pages);
        getNs = 0;
        putNs = 0;
    }
}
