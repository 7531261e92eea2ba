package org.pinlab.driver.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.driver.gpu.internal.FakeDeviceContext.FakeBuffer;
import org.pinlab.driver.gpu.internal.FakeDeviceContext.FakeMap;
import org.pinlab.driver.gpu.internal.FakeDeviceContext.Op;

/** The GPU's job cycle, its DMA and its answer to revokes, against a recording fake host. */
class GpuDeviceTest {

    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    private final FakeBuffer bo0 = new FakeBuffer("bo0", 8, false);
    private final FakeBuffer bo1 = new FakeBuffer("bo1", 8, true);

    private static GpuDevice gpu(FakeDeviceContext ctx, Map<String, String> params) {
        GpuDevice d = (GpuDevice) new GpuType().create(ctx, params);
        ctx.attach(d);
        return d;
    }

    private static List<String> kinds(List<Op> ops) {
        return ops.stream().map(Op::kind).filter(k -> !k.equals("sleep")).distinct().toList();
    }

    @Test
    void aJobPinsItsRangeWritesDuringTheJobAndReleasesItDirtyAtItsEnd() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo0);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "pages", "4", "job-length", "1ms", "dma-interval", "100us",
                "burst", "2", "write-fraction", "1"));
        assertTrue(ctx.runUntil(10 * MS), "one job, then the device is done");

        assertEquals(List.of("pin", "write", "release"), kinds(ctx.ops));
        Op pin = ctx.ops("pin").get(0);
        Op release = ctx.ops("release").get(0);
        assertTrue(pin.detail().endsWith(" rw"), pin.toString());
        assertEquals("dirty", release.detail());
        long start = pin.at() + FakeDeviceContext.PIN_NS;
        assertEquals(start + MS, release.at(), "released when the job's time is up");
        List<Op> writes = ctx.ops("write");
        assertEquals(20, writes.size(), "10 accesses of 2 pages in 1 ms at one access per 100 us");
        FakeMap map = ctx.maps.get(0);
        for (Op w : writes) {
            int page = Integer.parseInt(w.detail());
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
        FakeDeviceContext ctx = new FakeDeviceContext(bo0);
        gpu(ctx, Map.of("jobs", "1", "write-fraction", "0"));
        assertTrue(ctx.runUntil(10 * MS));
        assertTrue(ctx.ops("pin").get(0).detail().endsWith(" ro"));
        assertTrue(ctx.ops("write").isEmpty());
        assertFalse(ctx.ops("read").isEmpty());
        assertEquals("clean", ctx.ops("release").get(0).detail());
    }

    @Test
    void aMixedJobBothWritesAndReads() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo0);
        gpu(ctx, Map.of("jobs", "1", "job-length", "5ms", "write-fraction", "0.5"));
        assertTrue(ctx.runUntil(20 * MS));
        int writes = ctx.ops("write").size();
        int reads = ctx.ops("read").size();
        assertEquals(50 * 4, writes + reads, "50 accesses of the default burst of 4");
        assertTrue(writes > 50 && reads > 50, writes + " writes, " + reads + " reads");
    }

    @Test
    void jobsFollowEachOtherAfterTheGapTakingTheBuffersInTurn() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo0, bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "3", "job-length", "1ms", "gap", "300us"));
        assertTrue(ctx.runUntil(20 * MS));
        List<Op> pins = ctx.ops("pin");
        List<Op> releases = ctx.ops("release");
        assertEquals(List.of("bo0", "bo1", "bo0"), pins.stream().map(Op::buffer).toList());
        assertEquals(3, releases.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(releases.get(i).at() + FakeDeviceContext.RELEASE_NS + 300 * US, pins.get(i + 1).at());
        }
        assertEquals(3, d.completedJobs());
        assertEquals(3, d.submittedJobs());
    }

    @Test
    void aJobBindsTheWholeBufferWhenItIsSmallerThanTheJobsPages() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo0);
        gpu(ctx, Map.of("jobs", "1"));
        assertTrue(ctx.runUntil(10 * MS));
        assertEquals("[0, 8) rw", ctx.ops("pin").get(0).detail(), "16 pages asked, 8 in the buffer");
    }

    @Test
    void longtermPinsAskForFollLongterm() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo0);
        gpu(ctx, Map.of("jobs", "1", "longterm", "true"));
        assertTrue(ctx.runUntil(10 * MS));
        assertTrue(ctx.ops("pin").get(0).detail().endsWith(" longterm"));
        assertTrue(ctx.maps.get(0).longterm());
    }

    @Test
    void concurrentJobsHoldTheirPinsAtTheSameTime() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo0, bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "2", "concurrent", "2", "job-length", "1ms"));
        assertTrue(ctx.runUntil(20 * MS));
        List<Op> pins = ctx.ops("pin");
        List<Op> releases = ctx.ops("release");
        assertTrue(pins.get(1).at() < releases.get(0).at(), ctx.ops.toString());
        assertEquals(List.of("bo0", "bo1"), pins.stream().map(Op::buffer).toList());
        assertTrue(ctx.ops.stream().anyMatch(o -> o.kind().equals("write") && o.buffer().equals("bo0")));
        assertTrue(ctx.ops.stream().anyMatch(o -> o.kind().equals("write") && o.buffer().equals("bo1")));
        assertEquals(2, d.completedJobs());
    }

    @Test
    void withoutAJobLimitTheGpuKeepsRunningJobs() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo0);
        GpuDevice d = gpu(ctx, Map.of("job-length", "1ms", "gap", "0ns"));
        assertFalse(ctx.runUntil(20 * MS), "jobs=0 runs forever");
        assertTrue(d.completedJobs() >= 18, d.completedJobs() + " jobs");
    }

    /** Steps until the job's pin is live and the GPU sleeps between two accesses. */
    private static FakeMap runningAndAsleep(FakeDeviceContext ctx) {
        for (int i = 0; i < 100 && !(ctx.lastPinned() != null && ctx.sleeping() && !ctx.ops("write").isEmpty()); i++) {
            ctx.step();
        }
        assertTrue(ctx.sleeping(), ctx.ops.toString());
        return ctx.lastPinned();
    }

    @Test
    void aRevokedJobStopsDmaAtOnceAndIsReleasedDirtyAtTheNextStep() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "job-length", "10ms", "write-fraction", "1", "revocable", "true"));
        FakeMap map = runningAndAsleep(ctx);
        int before = ctx.ops.size();

        assertTrue(d.revoke(map), "an HMM-style GPU gives the buffer back");
        assertEquals(before, ctx.ops.size(), "the revoke itself neither blocks nor touches memory");
        assertTrue(ctx.dmesg.get(0).startsWith("revoked job 0 (bo1 [0, 8))"), ctx.dmesg.toString());

        ctx.wake();
        long revokedAt = ctx.now();
        ctx.step();
        List<Op> after = ctx.ops.subList(before, ctx.ops.size());
        assertEquals(1, after.size(), after.toString());
        assertEquals(new Op(revokedAt, "release", "bo1", "dirty"), after.get(0));
        assertFalse(ctx.step(), "its only job ended early: the device is done");
        assertTrue(ctx.ops("write").stream().allMatch(w -> w.at() <= revokedAt));
        assertEquals(1, d.revokedJobs());
        assertEquals(0, d.completedJobs());
        assertTrue(revokedAt < ctx.ops("pin").get(0).at() + 10 * MS, "before the job would have ended");
    }

    @Test
    void aRevokeThatArrivesBeforeTheGpuSawItsPinEndsTheJobUnused() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "revocable", "true"));
        ctx.step(); // the pin; the host made the map, the device has not looked yet
        assertTrue(d.revoke(ctx.lastPinned()));
        assertTrue(ctx.dmesg.get(0).startsWith("revoked userptr bo1 [0, 8)"), ctx.dmesg.toString());
        ctx.step();
        assertEquals(List.of("pin", "release"), kinds(ctx.ops));
        assertEquals("dirty", ctx.ops("release").get(0).detail());
        assertFalse(ctx.step());
        assertEquals(1, d.revokedJobs());
    }

    @Test
    void aRevokedSlotStartsItsNextJobAfterTheGap() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo0, bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "2", "job-length", "10ms", "gap", "1ms", "revocable", "true"));
        FakeMap map = runningAndAsleep(ctx);
        d.revoke(map);
        ctx.wake();
        assertTrue(ctx.runUntil(40 * MS));
        List<Op> pins = ctx.ops("pin");
        Op firstRelease = ctx.ops("release").get(0);
        assertEquals("bo1", pins.get(1).buffer());
        assertEquals(firstRelease.at() + FakeDeviceContext.RELEASE_NS + MS, pins.get(1).at());
        assertEquals(1, d.revokedJobs());
        assertEquals(1, d.completedJobs());
    }

    @Test
    void aNonRevocableGpuRefusesAndKeepsWritingUntilTheJobEnds() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "1", "job-length", "2ms", "write-fraction", "1"));
        FakeMap map = runningAndAsleep(ctx);
        long askedAt = ctx.now();
        assertFalse(d.revoke(map));
        assertTrue(ctx.dmesg.get(0).startsWith("cannot revoke job 0"), ctx.dmesg.toString());
        assertTrue(ctx.runUntil(10 * MS));
        assertTrue(ctx.ops("write").stream().anyMatch(w -> w.at() > askedAt), "DMA goes on after the refusal");
        assertEquals(ctx.ops("pin").get(0).at() + FakeDeviceContext.PIN_NS + 2 * MS, ctx.ops("release").get(0).at());
        assertEquals(0, d.revokedJobs());
        assertEquals(1, d.completedJobs());
    }

    @Test
    void aFailedPinIsLoggedCountedAndRetriedAfterTheGap() {
        FakeDeviceContext ctx = new FakeDeviceContext(bo1);
        GpuDevice d = gpu(ctx, Map.of("jobs", "2", "gap", "200us"));
        ctx.failNextPin(DeviceContext.EFAULT);
        assertTrue(ctx.runUntil(20 * MS));
        assertEquals(List.of("userptr pin of job 0 (bo1 [0, 8)) failed: -14"), ctx.dmesg);
        List<Op> pins = ctx.ops("pin");
        assertEquals(pins.get(0).at() + FakeDeviceContext.PIN_NS + 200 * US, pins.get(1).at());
        assertEquals(1, ctx.ops("release").size(), "nothing to release for the failed job");
        assertEquals(1, d.failedJobs());
        assertEquals(1, d.completedJobs());
    }

    @Test
    void aGpuWithoutBuffersIsDoneAtOnce() {
        FakeDeviceContext ctx = new FakeDeviceContext();
        gpu(ctx, Map.of());
        assertFalse(ctx.step());
        assertTrue(ctx.ops.isEmpty());
        assertEquals(List.of("no buffers to run jobs on"), ctx.dmesg);
    }
}
