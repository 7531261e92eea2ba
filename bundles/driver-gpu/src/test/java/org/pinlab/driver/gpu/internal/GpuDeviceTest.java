package org.pinlab.driver.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.device.testing.Event;
import org.pinlab.api.device.testing.Event.DmaRead;
import org.pinlab.api.device.testing.Event.DmaWrite;
import org.pinlab.api.device.testing.Event.Fault;
import org.pinlab.api.device.testing.Event.Pin;
import org.pinlab.api.device.testing.Event.Release;
import org.pinlab.api.device.testing.Event.Sleep;
import org.pinlab.api.device.testing.Event.Watch;
import org.pinlab.api.device.testing.Event.WriteFrame;
import org.pinlab.api.device.testing.FakeBuffer;
import org.pinlab.api.device.testing.FakeDeviceContext;
import org.pinlab.api.device.testing.FakeMap;
import org.pinlab.api.errno.Errno;

/** The GPU's job cycle, its DMA and its answer to revokes, against a recording fake host. */
class GpuDeviceTest {

    private static final long US = 1_000;
    private static final long MS = 1_000_000;
    static final long PIN_NS = 10_000;
    static final long RELEASE_NS = 5_000;
    static final long IDLE_STEP_NS = 50;

    private final FakeBuffer bo0 = FakeBuffer.anonymous("bo0", 8);
    private final FakeBuffer bo1 = FakeBuffer.file("bo1", 8);

    /** A host with timed pins and releases that holds the GPU to pinning: no HMM faults, no notifier. */
    static FakeDeviceContext host(UserBuffer... buffers) {
        return new FakeDeviceContext(42, buffers).withName("gpu0").withTime(Pin.class, PIN_NS)
                .withTime(Release.class, RELEASE_NS).withStepTime(IDLE_STEP_NS, 0)
                .forbid(Fault.class, "the GPU pins; it never faults through HMM here")
                .forbid(WriteFrame.class, "the GPU writes through its pinned mappings only")
                .forbid(Watch.class, "the GPU registers no notifier here");
    }

    private static GpuDevice gpu(FakeDeviceContext ctx, Map<String, String> params) {
        return (GpuDevice) new GpuType().create(ctx, params);
    }

    /** The kinds of what the GPU did, sleeps left out, each once in order of first appearance. */
    private static List<String> kinds(FakeDeviceContext ctx) {
        return ctx.events().stream().filter(e -> !(e instanceof Sleep)).map(e -> e.getClass().getSimpleName())
                .distinct().toList();
    }

    @Test
    void aJobPinsItsRangeWritesDuringTheJobAndReleasesItDirtyAtItsEnd() {
        FakeDeviceContext ctx = host(bo0);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "pages", "4", "job-length", "1ms", "dma-interval", "100us",
                "burst", "2", "write-fraction", "1"));
        assertTrue(ctx.run(d, 10 * MS), "one job, then the device is done");

        assertEquals(List.of("Pin", "DmaWrite", "Release"), kinds(ctx));
        Pin pin = ctx.events(Pin.class).get(0);
        Release release = ctx.events(Release.class).get(0);
        assertTrue(pin.map().write(), pin.toString());
        assertTrue(release.dirty(), release.toString());
        long start = pin.at() + PIN_NS;
        assertEquals(start + MS, release.at(), "released when the job's time is up");
        List<DmaWrite> writes = ctx.events(DmaWrite.class);
        assertEquals(20, writes.size(), "10 accesses of 2 pages in 1 ms at one access per 100 us");
        FakeMap map = ctx.lastMapped();
        for (DmaWrite w : writes) {
            int page = w.page();
            assertTrue(page >= map.first() && page < map.first() + 4, w.toString());
            assertTrue(w.at() >= start && w.at() < start + MS, w.toString());
        }
        assertEquals(4, map.pages());
        assertFalse(map.live());
        assertEquals(1, d.completedJobs());
        assertEquals(0, d.revokedJobs());
    }

    @Test
    void writeFractionZeroBindsReadOnlyOnlyReadsAndReleasesClean() {
        FakeDeviceContext ctx = host(bo0);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "write-fraction", "0"));
        assertTrue(ctx.run(d, 10 * MS));
        assertFalse(ctx.events(Pin.class).get(0).map().write());
        assertTrue(ctx.events(DmaWrite.class).isEmpty());
        assertFalse(ctx.events(DmaRead.class).isEmpty());
        assertFalse(ctx.events(Release.class).get(0).dirty());
    }

    @Test
    void aMixedJobBothWritesAndReads() {
        FakeDeviceContext ctx = host(bo0);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "job-length", "5ms", "write-fraction", "0.5"));
        assertTrue(ctx.run(d, 20 * MS));
        int writes = ctx.events(DmaWrite.class).size();
        int reads = ctx.events(DmaRead.class).size();
        assertEquals(50 * 4, writes + reads, "50 accesses of the default burst of 4");
        assertTrue(writes > 50 && reads > 50, writes + " writes, " + reads + " reads");
    }

    @Test
    void jobsFollowEachOtherAfterTheGapTakingTheBuffersInTurn() {
        FakeDeviceContext ctx = host(bo0, bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "3", "job-length", "1ms", "gap", "300us"));
        assertTrue(ctx.run(d, 20 * MS));
        List<Pin> pins = ctx.events(Pin.class);
        List<Release> releases = ctx.events(Release.class);
        assertEquals(List.of("bo0", "bo1", "bo0"), pins.stream().map(p -> p.map().buffer().name()).toList());
        assertEquals(3, releases.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(releases.get(i).at() + RELEASE_NS + 300 * US, pins.get(i + 1).at());
        }
        assertEquals(3, d.completedJobs());
        assertEquals(3, d.submittedJobs());
    }

    @Test
    void aJobBindsTheWholeBufferWhenItIsSmallerThanTheJobsPages() {
        FakeDeviceContext ctx = host(bo0);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1"));
        assertTrue(ctx.run(d, 10 * MS));
        assertEquals("pin bo0 0+8 write", ctx.events(Pin.class).get(0).line(), "16 pages asked, 8 in the buffer");
    }

    @Test
    void longtermPinsAskForFollLongterm() {
        FakeDeviceContext ctx = host(bo0);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "longterm", "true"));
        assertTrue(ctx.run(d, 10 * MS));
        assertTrue(ctx.events(Pin.class).get(0).line().endsWith(" longterm"));
        assertTrue(ctx.lastMapped().longterm());
    }

    @Test
    void concurrentJobsHoldTheirPinsAtTheSameTime() {
        FakeDeviceContext ctx = host(bo0, bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "2", "concurrent", "2", "job-length", "1ms"));
        assertTrue(ctx.run(d, 20 * MS));
        List<Pin> pins = ctx.events(Pin.class);
        List<Release> releases = ctx.events(Release.class);
        assertTrue(pins.get(1).at() < releases.get(0).at(), ctx.events().toString());
        assertEquals(List.of("bo0", "bo1"), pins.stream().map(p -> p.map().buffer().name()).toList());
        assertTrue(ctx.events(DmaWrite.class).stream().anyMatch(w -> w.map().buffer().equals(bo0)));
        assertTrue(ctx.events(DmaWrite.class).stream().anyMatch(w -> w.map().buffer().equals(bo1)));
        assertEquals(2, d.completedJobs());
    }

    @Test
    void withoutAJobLimitTheGpuKeepsRunningJobs() {
        FakeDeviceContext ctx = host(bo0);
        GpuDevice d = gpu(ctx, Map.of("job-length", "1ms", "gap", "0ns"));
        assertFalse(ctx.run(d, 20 * MS), "jobs=0 runs forever");
        assertTrue(d.completedJobs() >= 18, d.completedJobs() + " jobs");
    }

    /** Steps until the job's pin is live and the GPU sleeps between two accesses. */
    private static FakeMap runningAndAsleep(FakeDeviceContext ctx, GpuDevice d) {
        for (int i = 0; i < 100 && !(ctx.lastMapped() != null && ctx.sleeping()
                && !ctx.events(DmaWrite.class).isEmpty()); i++) {
            ctx.step(d);
        }
        assertTrue(ctx.sleeping(), ctx.events().toString());
        return ctx.lastMapped();
    }

    @Test
    void aRevokedJobStopsDmaAtOnceAndIsReleasedDirtyAtTheNextStep() {
        FakeDeviceContext ctx = host(bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "job-length", "10ms", "write-fraction", "1", "revocable", "true"));
        FakeMap map = runningAndAsleep(ctx, d);
        int before = ctx.events().size();

        assertTrue(ctx.revoke(d, map), "an HMM-style GPU gives the buffer back");
        assertEquals(before, ctx.events().size(), "the revoke itself neither blocks nor touches memory");
        assertTrue(ctx.dmesg().get(0).startsWith("revoked job 0 (bo1 [0, 8))"), ctx.dmesg().toString());

        assertFalse(ctx.sleeping(), "the accepted revoke woke the GPU");
        long revokedAt = ctx.now();
        ctx.step(d);
        List<Event> after = ctx.events().subList(before, ctx.events().size());
        assertEquals(1, after.size(), after.toString());
        assertEquals(new Release(revokedAt, map, true), after.get(0));
        assertFalse(ctx.step(d), "its only job ended early: the device is done");
        assertTrue(ctx.events(DmaWrite.class).stream().allMatch(w -> w.at() <= revokedAt));
        assertEquals(1, d.revokedJobs());
        assertEquals(0, d.completedJobs());
        assertTrue(revokedAt < ctx.events(Pin.class).get(0).at() + 10 * MS, "before the job would have ended");
    }

    @Test
    void aRevokeThatArrivesBeforeTheGpuSawItsPinEndsTheJobUnused() {
        FakeDeviceContext ctx = host(bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "revocable", "true"));
        ctx.step(d); // the pin; the host made the map, the device has not looked yet
        assertTrue(ctx.revoke(d, ctx.lastMapped()));
        assertTrue(ctx.dmesg().get(0).startsWith("revoked userptr bo1 [0, 8)"), ctx.dmesg().toString());
        ctx.step(d);
        assertEquals(List.of("Pin", "Release"), kinds(ctx));
        assertTrue(ctx.events(Release.class).get(0).dirty());
        assertFalse(ctx.step(d));
        assertEquals(1, d.revokedJobs());
    }

    @Test
    void aRevokedSlotStartsItsNextJobAfterTheGap() {
        FakeDeviceContext ctx = host(bo0, bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "2", "job-length", "10ms", "gap", "1ms", "revocable", "true"));
        FakeMap map = runningAndAsleep(ctx, d);
        ctx.revoke(d, map);
        assertTrue(ctx.run(d, 40 * MS));
        List<Pin> pins = ctx.events(Pin.class);
        Release firstRelease = ctx.events(Release.class).get(0);
        assertEquals(bo1, pins.get(1).map().buffer());
        assertEquals(firstRelease.at() + RELEASE_NS + MS, pins.get(1).at());
        assertEquals(1, d.revokedJobs());
        assertEquals(1, d.completedJobs());
    }

    @Test
    void aNonRevocableGpuRefusesAndKeepsWritingUntilTheJobEnds() {
        FakeDeviceContext ctx = host(bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "job-length", "2ms", "write-fraction", "1"));
        FakeMap map = runningAndAsleep(ctx, d);
        long askedAt = ctx.now();
        assertFalse(ctx.revoke(d, map));
        assertTrue(ctx.dmesg().get(0).startsWith("cannot revoke job 0"), ctx.dmesg().toString());
        assertTrue(ctx.run(d, 10 * MS));
        assertTrue(ctx.events(DmaWrite.class).stream().anyMatch(w -> w.at() > askedAt),
                "DMA goes on after the refusal");
        assertEquals(ctx.events(Pin.class).get(0).at() + PIN_NS + 2 * MS, ctx.events(Release.class).get(0).at());
        assertEquals(0, d.revokedJobs());
        assertEquals(1, d.completedJobs());
    }

    @Test
    void aFailedPinIsLoggedCountedAndRetriedAfterTheGap() {
        FakeDeviceContext ctx = host(bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "2", "gap", "200us"));
        ctx.failNext(Pin.class, Errno.EFAULT.negative());
        assertTrue(ctx.run(d, 20 * MS));
        assertEquals(List.of("userptr pin of job 0 (bo1 [0, 8)) failed: -EFAULT (-14)"), ctx.dmesg());
        List<Pin> pins = ctx.events(Pin.class);
        assertEquals(pins.get(0).at() + PIN_NS + 200 * US, pins.get(1).at());
        assertEquals(1, ctx.events(Release.class).size(), "nothing to release for the failed job");
        assertEquals(1, d.failedJobs());
        assertEquals(1, d.completedJobs());
    }

    @Test
    void aShortPinIsFollowedByAPinOfTheRestAsI915UserptrGetPagesLoops() {
        // i915_gem_userptr_get_pages (v6.12): while (pinned < num_pages) pinned += pin_user_pages_fast(...)
        FakeDeviceContext ctx = host(bo0).shortPin(1, 3);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "pages", "8", "job-length", "1ms", "write-fraction", "1"));
        assertTrue(ctx.run(d, 10 * MS));
        assertEquals(List.of("pin bo0 0+3 write", "pin bo0 3+5 write"), ctx.lines(Pin.class));
        assertEquals(2, ctx.events(Release.class).size(), "both pieces released, dirty");
        assertTrue(ctx.events(Release.class).stream().allMatch(Release::dirty));
        assertTrue(ctx.events(DmaWrite.class).stream().anyMatch(w -> w.page() >= 3), "DMA reaches the second piece");
        assertEquals(1, d.completedJobs());
    }

    @Test
    void aPinFailingAfterAShortOneUnpinsWhatWasPinnedCleanAndFailsTheJob() {
        // i915_gem_userptr_get_pages: "if (ret < 0) goto out" -> unpin_user_pages(pvec, pinned)
        FakeDeviceContext ctx = host(bo0).shortPin(1, 3).fail(Pin.class, 2, Errno.ENOMEM.negative());
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "pages", "8", "write-fraction", "1"));
        assertTrue(ctx.run(d, 10 * MS));
        assertEquals(List.of("pin bo0 0+3 write", "pin bo0 3+5 write"), ctx.lines(Pin.class));
        List<Release> releases = ctx.events(Release.class);
        assertEquals(1, releases.size());
        assertFalse(releases.get(0).dirty(), "the job never ran: nothing to dirty");
        assertTrue(ctx.events(DmaWrite.class).isEmpty());
        assertEquals(1, d.failedJobs());
        assertEquals(0, d.completedJobs());
        assertTrue(ctx.dmesg().get(0).endsWith("; unpinning the 3 pages pinned so far"), ctx.dmesg().toString());
    }

    @Test
    void aGpuWithoutBuffersIsDoneAtOnce() {
        FakeDeviceContext ctx = host();
        GpuDevice d = gpu(ctx, Map.of());
        assertFalse(ctx.step(d));
        assertTrue(ctx.events().isEmpty());
        assertEquals(List.of("no buffers to run jobs on"), ctx.dmesg());
    }
}
