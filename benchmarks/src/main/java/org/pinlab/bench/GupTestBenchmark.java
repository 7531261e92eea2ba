package org.pinlab.bench;

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
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.kernel.GupTest;

/**
 * The model's gup_test (tools/testing/selftests/mm/gup_test.c): pins {@code -m} MB of
 * populated anonymous memory {@code -n} pages per call, then unpins it, and times both
 * phases in wall time, printing gup_test's own line {@code Time: get:G put:P us} with ns
 * per page. {@code fast} is {@code -a} (pin_user_pages_fast), {@code longterm} is {@code -L}
 * (pin_user_pages with FOLL_LONGTERM, the slow path); {@code thp} is {@code -t}: order-9
 * folios, each mapped by a PMD leaf. Merged pin accounting. Runs {@link GupTest}: the
 * machine is built and the buffer faulted in once per trial, and each invocation is one
 * ioctl, whose score includes the untimed {@code verify_dma_pinned} and balance checks; the
 * printed times do not.
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

    private GupTest.Buffer buffer;
    private long getNs;
    private long putNs;

    @Setup(Level.Trial)
    public void populate() {
        GupTest.Options options = GupTest.parse("-m", String.valueOf(megabytes), "-n", String.valueOf(batch),
                "fast".equals(mode) ? "-a" : "-L", thp ? "-t" : "-T");
        buffer = new GupTest(options, new MergedPinTracker(), new BuddyAllocatorService()).mmap();
    }

    /** One ioctl; it throws if a pin counter or a refcount is not back afterwards. */
    @Benchmark
    public int pinAndUnpin() {
        GupTest.Repeat r = buffer.ioctl();
        getNs += r.getNanos();
        putNs += r.putNanos();
        return r.pages();
    }

    @TearDown(Level.Iteration)
    public void report() {
        long pages = (long) megabytes * 256;
        System.out.printf("%n[gup_test -m %d -n %d %s%s] Time: get:%d put:%d us  (%.1f ns/page get, %.1f ns/page put)%n",
                megabytes, batch, "fast".equals(mode) ? "-a" : "-L", thp ? " -t" : "", getNs / 1000, putNs / 1000,
                (double) getNs / pages, (double) putNs / pages);
        getNs = 0;
        putNs = 0;
    }
}
