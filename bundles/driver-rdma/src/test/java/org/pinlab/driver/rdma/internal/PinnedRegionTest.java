package org.pinlab.driver.rdma.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.device.testing.FakeBuffer.file;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.Device;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.testing.Event;
import org.pinlab.api.device.testing.Event.Charge;
import org.pinlab.api.device.testing.Event.Dma;
import org.pinlab.api.device.testing.Event.DmaRead;
import org.pinlab.api.device.testing.Event.DmaWrite;
import org.pinlab.api.device.testing.Event.Pin;
import org.pinlab.api.device.testing.Event.Release;
import org.pinlab.api.device.testing.FakeBuffer;
import org.pinlab.api.device.testing.FakeDeviceContext;
import org.pinlab.api.errno.Errno;

/** Pinned memory regions: ib_umem_get, DMA while registered, ib_umem_release, revoke. */
class PinnedRegionTest {

    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    private static Device nic(FakeDeviceContext ctx, Map<String, String> params) {
        return new RdmaType().create(ctx, params);
    }

    @Test
    void registrationChargesTheWholeRegionThenPinsAtMost512PagesPerCall() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 1200));
        Device nic = nic(ctx, Map.of());
        for (int i = 0; i < 4; i++) {
            assertTrue(ctx.step(nic));
        }
        assertEquals(List.of("charge mr0 1200", "pin mr0 0+512 write longterm", "pin mr0 512+512 write longterm",
                "pin mr0 1024+176 write longterm"), ctx.lines(Event.class));
        assertEquals(1200, ctx.pinnedVm());
        assertEquals(3, ctx.maps().size());
        ctx.run(nic, 100 * MS, 10_000);
        assertEquals(3, ctx.events(Pin.class).size(), "registered once, pinned once");
    }

    @Test
    void ibUmemGetGoesOnFromWhereAShortPinStoppedAndDmaReachesEveryPiece() {
        // ib_umem_get (v6.12): ret = pin_user_pages_fast(cur_base, min(npages, 512), ...);
        // cur_base += ret * PAGE_SIZE; npages -= ret -- a short pin is not a failure
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 1200)).shortPin(1, 300);
        Device nic = nic(ctx, Map.of("lifetime", "10ms", "lifetime-spread", "0", "registrations", "1",
                "dma-gap", "10us"));
        ctx.run(nic, 100 * MS, 100_000);
        assertEquals(List.of("pin mr0 0+300 write longterm", "pin mr0 300+512 write longterm",
                "pin mr0 812+388 write longterm"), ctx.lines(Pin.class));
        assertEquals(3, ctx.events(Release.class).size(), "every piece released at deregistration");
        assertTrue(ctx.events(Dma.class).stream().anyMatch(e -> e.page() >= 812), "the last piece takes DMA");
        assertEquals(0, ctx.pinnedVm(), "uncharged");
    }

    @Test
    void theStartParameterHoldsTheFirstRegistrationBackUntilTheApplicationHasFilledItsBuffer() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 64));
        Device nic = nic(ctx, Map.of("start", "2ms"));
        ctx.run(nic, 2 * MS - 1, 100);
        assertEquals(List.of("sleep 2000000"), ctx.lines(Event.class), "it only waits until 2 ms");
        ctx.run(nic, 3 * MS, 100);
        assertEquals(List.of("charge mr0 64", "pin mr0 0+64 write longterm"),
                ctx.lines(Event.class).subList(1, 3));
    }

    @Test
    void theBatchParameterSetsThePagesPerPinCall() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 250));
        Device nic = nic(ctx, Map.of("batch", "100"));
        ctx.run(nic, MS, 10);
        assertEquals(List.of("pin mr0 0+100 write longterm", "pin mr0 100+100 write longterm",
                "pin mr0 200+50 write longterm"), ctx.lines(Pin.class));
    }

    @Test
    void aMemlockRefusalLogsEnomemPinsNothingAndGivesUpByDefault() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 1200)).withMemlockLimit(1000);
        Device nic = nic(ctx, Map.of());
        ctx.run(nic, 10_000 * MS, 100);
        assertFalse(ctx.step(nic), "the only buffer was given up: the NIC is done");
        assertEquals(List.of("charge mr0 1200 refused"), ctx.lines(Charge.class));
        assertTrue(ctx.events(Pin.class).isEmpty());
        assertEquals(1, ctx.dmesg().size(), ctx.dmesg().toString());
        String line = ctx.dmesg().get(0);
        for (String part : new String[] {"ibv_reg_mr", "buffer mr0", "1200 pages", "RLIMIT_MEMLOCK", "-ENOMEM (-12)",
                "giving up"}) {
            assertTrue(line.contains(part), part + " in " + line);
        }
        assertEquals(0, ctx.pinnedVm());
        assertEquals(List.of("ibv_reg_mr -12"), ctx.returned, "the application's ibv_reg_mr returns -ENOMEM");
    }

    @Test
    void aMemlockRefusalIsRetriedAfterTheBackoffAndSucceedsOnceTheLimitAllows() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 64)).withMemlockLimit(10);
        Device nic = nic(ctx, Map.of("retry-after", "5ms"));
        ctx.run(nic, 12 * MS, 100);
        assertEquals(3, ctx.lines(Charge.class).stream().filter("charge mr0 64 refused"::equals).count(),
                "at 0, 5 and 10 ms: " + ctx.events());
        assertTrue(ctx.dmesg().get(0).contains("retrying in 5ms"), ctx.dmesg().get(0));
        ctx.withMemlockLimit(64);
        ctx.run(nic, 16 * MS, 100);
        assertEquals(List.of("pin mr0 0+64 write longterm"), ctx.lines(Pin.class));
        assertEquals(64, ctx.pinnedVm());
    }

    @Test
    void aFailedBatchReleasesWhatWasPinnedCleanAndUnchargesEverything() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 1200)).fail(Pin.class, 2, Errno.EFAULT.negative());
        Device nic = nic(ctx, Map.of());
        ctx.run(nic, 10_000 * MS, 100);
        assertEquals(List.of("charge mr0 1200", "pin mr0 0+512 write longterm", "pin mr0 512+512 write longterm",
                "release mr0[0, 512) clean", "charge mr0 -1200"), ctx.lines(Event.class));
        assertTrue(ctx.dmesg().get(0).contains("failed with -EFAULT (-14)"), ctx.dmesg().toString());
        assertTrue(ctx.dmesg().get(0).contains("512 pages pinned so far"), ctx.dmesg().toString());
        assertEquals(0, ctx.pinnedVm());
        assertTrue(ctx.maps().isEmpty());
        assertFalse(ctx.step(nic));
        assertEquals(List.of("ibv_reg_mr -14"), ctx.returned, "the pin's -EFAULT is what ibv_reg_mr returns");
    }

    @Test
    void deregistrationUnpinsEveryBatchDirtyThenUnchargesAndTheNicEnds() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 600));
        Device nic = nic(ctx, Map.of("lifetime", "1ms", "lifetime-spread", "0", "registrations", "1"));
        ctx.run(nic, 100 * MS, 10_000);
        assertFalse(ctx.step(nic));
        List<String> ops = ctx.lines(Event.class);
        List<String> tail = ops.subList(ops.size() - 3, ops.size());
        assertEquals(List.of("release mr0[0, 512) dirty", "release mr0[512, 600) dirty", "charge mr0 -600"), tail);
        assertTrue(ctx.now() >= MS && ctx.now() < 2 * MS, "deregistered after its 1 ms lifetime: " + ctx.now());
        int released = ops.indexOf("release mr0[0, 512) dirty");
        assertTrue(ctx.events().subList(released, ops.size()).stream().noneMatch(e -> e instanceof Dma),
                "no DMA after deregistration");
        assertFalse(ctx.events(DmaWrite.class).isEmpty());
        assertEquals(0, ctx.pinnedVm());
    }

    @Test
    void aReadOnlyRegionIsPinnedWithoutWriteNeverWrittenAndReleasedClean() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 8));
        Device nic = nic(ctx, Map.of("writable", "false", "lifetime", "1ms", "registrations", "1"));
        ctx.run(nic, 100 * MS, 10_000);
        assertEquals(List.of("pin mr0 0+8 read longterm"), ctx.lines(Pin.class));
        assertTrue(ctx.events(DmaWrite.class).isEmpty());
        assertFalse(ctx.events(DmaRead.class).isEmpty());
        assertEquals(List.of("release mr0[0, 8) clean"), ctx.lines(Release.class));
    }

    @Test
    void dmaStaysInsideTheRegisteredWindowAndFollowsTheWriteFraction() {
        for (String fraction : new String[] {"1", "0"}) {
            FakeDeviceContext ctx = new FakeDeviceContext(7, file("mr0", 100));
            Device nic = nic(ctx, Map.of("pages", "10", "lifetime", "50ms", "registrations", "1", "dma-gap", "10us",
                    "write-fraction", fraction));
            ctx.run(nic, 100 * MS, 100_000);
            int first = ctx.events(Pin.class).get(0).map().first();
            List<Dma> dma = ctx.events(Dma.class);
            assertTrue(dma.size() > 1000, "about 5000 accesses in 50 ms at 10 us: " + dma.size());
            Class<?> kind = fraction.equals("1") ? DmaWrite.class : DmaRead.class;
            assertTrue(dma.stream().allMatch(kind::isInstance), fraction + ": " + dma.get(0));
            assertTrue(dma.stream().allMatch(d -> d.page() >= first && d.page() < first + 10), "window " + first);
        }
    }

    @Test
    void gapsAverageTheDmaGapParameterExponentialOrUniform() {
        for (String gaps : new String[] {"exponential", "uniform"}) {
            FakeDeviceContext ctx = new FakeDeviceContext(3, file("mr0", 4));
            Device nic = nic(ctx, Map.of("lifetime", "1s", "lifetime-spread", "0", "dma-gap", "100us", "gaps", gaps,
                    "registrations", "1"));
            ctx.run(nic, 2_000 * MS, 1_000_000);
            List<Long> at = ctx.events(Dma.class).stream().map(Dma::at).toList();
            long longest = 0;
            for (int i = 1; i < at.size(); i++) {
                longest = Math.max(longest, at.get(i) - at.get(i - 1));
            }
            double mean = (double) (at.get(at.size() - 1) - at.get(0)) / (at.size() - 1);
            assertTrue(Math.abs(mean - 100 * US) < 10 * US, gaps + ": mean gap " + mean);
            if (gaps.equals("uniform")) {
                assertTrue(longest <= 200 * US, "uniform gaps stay under twice the mean: " + longest);
            } else {
                assertTrue(longest > 300 * US, "exponential gaps have a long tail: " + longest);
            }
        }
    }

    @Test
    void theNicRegistersAgainAfterThePauseUpToTheRegistrationsCount() {
        FakeDeviceContext ctx = new FakeDeviceContext(5, file("mr0", 16));
        Device nic = nic(ctx, Map.of("pages", "4", "lifetime", "1ms", "lifetime-spread", "0", "pause", "2ms",
                "registrations", "3"));
        ctx.run(nic, 100 * MS, 10_000);
        assertFalse(ctx.step(nic));
        assertEquals(List.of("charge mr0 4", "charge mr0 -4", "charge mr0 4", "charge mr0 -4", "charge mr0 4",
                "charge mr0 -4"), ctx.lines(Charge.class));
        assertTrue(ctx.now() >= 7 * MS && ctx.now() < 8 * MS, "three 1 ms lifetimes and two 2 ms pauses: " + ctx.now());
    }

    @Test
    void eachBufferIsItsOwnRegionWithItsOwnTimeline() {
        FakeDeviceContext ctx = new FakeDeviceContext(2, file("mr0", 4), file("mr1", 8));
        Device nic = nic(ctx, Map.of("lifetime", "5ms", "registrations", "1"));
        ctx.run(nic, 100 * MS, 10_000);
        assertEquals(List.of("pin mr0 0+4 write longterm", "pin mr1 0+8 write longterm"), ctx.lines(Pin.class));
        assertEquals(List.of("release mr0[0, 4) dirty", "release mr1[0, 8) dirty"),
                ctx.lines(Release.class).stream().sorted().toList());
        assertEquals(0, ctx.pinnedVm());
    }

    @Test
    void aPinnedRegionCannotBeRevokedAndSaysSoInTheLog() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 8));
        Device nic = nic(ctx, Map.of("lifetime", "10ms", "registrations", "1"));
        ctx.run(nic, 2 * MS, 10_000);
        DmaMap map = ctx.maps().get(0);
        assertFalse(ctx.revoke(nic, map));
        assertTrue(ctx.dmesg().get(0).contains("cannot revoke mr0[0, 8)"), ctx.dmesg().toString());
        int before = ctx.events(Dma.class).size();
        ctx.run(nic, 8 * MS, 10_000);
        assertTrue(ctx.events(Dma.class).size() > before, "DMA goes on");
        assertTrue(map.live());
    }

    @Test
    void aRevocableRegionReleasesTheRevokedBatchAtOnceDirtyOnlyIfItWroteIt() {
        for (String fraction : new String[] {"0", "1"}) {
            FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 1024));
            Device nic = nic(ctx, Map.of("revocable", "true", "lifetime", "10ms", "lifetime-spread", "0",
                    "registrations", "1", "dma-gap", "10us", "write-fraction", fraction));
            ctx.run(nic, 2 * MS, 100_000);
            DmaMap first = ctx.maps().get(0);
            assertTrue(ctx.revoke(nic, first));
            ctx.step(nic);
            String dirty = fraction.equals("1") ? "dirty" : "clean";
            List<String> ops = ctx.lines(Event.class);
            assertEquals("release mr0[0, 512) " + dirty, ops.get(ops.size() - 1));
            ctx.step(nic);
            assertEquals(512, ctx.pinnedVm(), "the revoked batch is uncharged");
            int revokedAt = ctx.events().size();
            ctx.run(nic, 100 * MS, 100_000);
            List<Event> later = ctx.events().subList(revokedAt, ctx.events().size());
            assertTrue(later.stream().filter(e -> e instanceof Dma).allMatch(e -> ((Dma) e).page() >= 512),
                    "no DMA into the revoked batch");
            // deregistration dirties by umem->writable, whatever the NIC wrote
            assertEquals(List.of("release mr0[512, 1024) dirty", "charge mr0 -512"), later.stream()
                    .filter(e -> e instanceof Release || e instanceof Charge).map(Event::line).toList());
        }
    }

    @Test
    void aBatchRevokedWhileItsRegionIsStillPinningIsGivenBackOnceTheRegistrationCompletes() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 12), file("mr1", 12));
        Device nic = nic(ctx, Map.of("revocable", "true", "batch", "4", "lifetime", "10ms", "lifetime-spread", "0",
                "registrations", "1", "write-fraction", "0"));
        ctx.step(nic); // ib_umem_get of mr0: charge, pin its first batch
        ctx.step(nic); // the first batch is mapped, the second is being pinned
        DmaMap first = ctx.maps().get(0);
        assertTrue(ctx.revoke(nic, first));
        assertTrue(first.live(), "a region still pinning gives nothing back yet");
        ctx.run(nic, MS, 10_000);
        assertEquals(List.of("release mr0[0, 4) clean"), ctx.lines(Release.class));
        assertFalse(first.live());
        assertEquals(20, ctx.pinnedVm(), "both regions charged, the revoked batch uncharged");
        ctx.run(nic, 100 * MS, 100_000);
        assertEquals(List.of("release mr0[0, 4) clean", "release mr0[4, 8) dirty", "release mr0[8, 12) dirty",
                "release mr1[0, 4) dirty", "release mr1[4, 8) dirty", "release mr1[8, 12) dirty"),
                ctx.lines(Release.class));
        assertEquals(0, ctx.pinnedVm());
    }

    @Test
    void regionsDueAtTheSameTimeActInTheirOrderAmongManyRegions() {
        FakeBuffer[] buffers = new FakeBuffer[40];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = file("mr" + i, 2);
        }
        FakeDeviceContext ctx = new FakeDeviceContext(1, buffers);
        Device nic = nic(ctx, Map.of("registrations", "1", "lifetime", "1ms", "lifetime-spread", "0"));
        ctx.run(nic, 100 * MS, 100_000);
        List<String> pins = ctx.lines(Pin.class);
        assertEquals(40, pins.size());
        for (int i = 0; i < buffers.length; i++) {
            assertEquals("pin mr" + i + " 0+2 write longterm", pins.get(i));
        }
        assertEquals(40, ctx.lines(Release.class).size());
        assertEquals(0, ctx.pinnedVm());
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() {
        List<List<String>> runs = new ArrayList<>();
        for (long seed : new long[] {11, 11, 12}) {
            FakeDeviceContext ctx = new FakeDeviceContext(seed, file("mr0", 64));
            Device nic = nic(ctx, Map.of("pages", "16", "lifetime", "2ms", "registrations", "4"));
            ctx.run(nic, 100 * MS, 100_000);
            List<String> run = new ArrayList<>(ctx.events().stream().map(e -> e.at() + " " + e.line()).toList());
            run.addAll(ctx.dmesg());
            runs.add(run);
        }
        assertEquals(runs.get(0), runs.get(1));
        assertNotEquals(runs.get(0), runs.get(2));
    }
}
