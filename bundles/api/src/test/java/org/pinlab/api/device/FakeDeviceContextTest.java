package org.pinlab.api.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.testing.Event;
import org.pinlab.api.device.testing.FakeBuffer;
import org.pinlab.api.device.testing.FakeDeviceContext;
import org.pinlab.api.device.testing.FakeMap;
import org.pinlab.api.errno.Errno;

/** The device SPI's shared test double keeps the SPI's rules and its own promises. */
class FakeDeviceContextTest {

    private final FakeBuffer mr0 = FakeBuffer.file("mr0", 8);
    private final FakeBuffer mr1 = FakeBuffer.anonymous("mr1", 4);

    @Test
    void aPinCompletesAfterItsStepAndItsOutcomeIsSeenAtTheNext() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, mr0, mr1).withTime(Event.Pin.class, 2_000)
                .withTime(Event.Release.class, 1_000);
        ctx.step(c -> {
            c.pin(mr1, 1, 2, true, false);
            assertNull(c.mapped(), "no outcome inside the step that started it");
            return true;
        });
        FakeMap map = ctx.lastMapped();
        assertEquals(2_000, ctx.now());
        assertEquals(2_000, map.mappedAt());
        assertEquals(List.of(2001, 2002), List.of(map.pfn(0), map.pfn(1)), "page i of buffer b in frame 1000(b+1)+i");
        ctx.step(c -> {
            assertSame(map, c.mapped());
            assertEquals(List.of(map), c.maps());
            c.deviceWrite(map, 1);
            c.release(map, true);
            return false;
        });
        assertFalse(map.live());
        assertTrue(ctx.maps().isEmpty());
        assertTrue(ctx.ended());
        assertEquals(List.of("pin mr1 1+2 write", "dma-write mr1 2 pfn 2002", "release mr1[1, 3) dirty"),
                ctx.lines(Event.class));
        assertEquals(List.of(0L, 2_000L, 2_000L), ctx.events().stream().map(Event::at).toList());
    }

    @Test
    void aFastPinIsAPinOfItsStepAndSaysSo() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, mr0);
        assertThrows(IllegalStateException.class, () -> ctx.step(c -> {
            c.pinFast(mr0, 0, 1, false, false);
            c.pin(mr0, 1, 1, false, false);
            return true;
        }), "a fast pin and a pin in one step");
        FakeDeviceContext one = new FakeDeviceContext(1, mr0);
        one.step(c -> {
            c.pinFast(mr0, 2, 3, false, false);
            return true;
        });
        one.step(c -> {
            c.pin(mr0, 5, 1, true, true);
            return true;
        });
        assertEquals(List.of("pin mr0 2+3 read fast", "pin mr0 5+1 write longterm"), one.lines(Event.Pin.class));
        assertEquals(2, one.maps().size(), "both went live");
    }

    @Test
    void theSpiRulesAreEnforced() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, mr0);
        assertThrows(IllegalStateException.class, () -> ctx.sleep(5), "outside a step");
        assertThrows(IllegalStateException.class, () -> ctx.step(c -> {
            c.sleep(5);
            c.sleep(5);
            return true;
        }), "two operations in one step");
        assertThrows(IllegalArgumentException.class, () -> ctx.step(c -> {
            c.pin(mr0, 6, 4, true, false);
            return true;
        }), "a pin past the buffer's end");
        assertThrows(IllegalArgumentException.class, () -> ctx.step(c -> {
            c.fault(mr0, 0, true);
            return true;
        }), "a fault of a buffer nobody watches");
    }

    @Test
    void aFailedPinMapsNothingAndReportsItsErrno() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, mr0).fail(Event.Pin.class, 2, Errno.EFAULT.negative());
        ctx.step(c -> pinAll(c));
        ctx.step(c -> pinAll(c));
        ctx.step(c -> {
            assertEquals(Errno.EFAULT.negative(), c.error());
            assertNull(c.mapped());
            return true;
        });
        assertEquals(1, ctx.maps().size());
        assertEquals(-1, ctx.events(Event.Pin.class).get(1).map().mappedAt());
    }

    @Test
    void aSleepEndsAtTheNextStepUnlessAWakeCutsItShort() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, mr0).withStepTime(50, 1_000);
        Device sleeper = c -> {
            c.sleep(10_000);
            return true;
        };
        ctx.step(sleeper);
        assertTrue(ctx.sleeping());
        assertEquals(0, ctx.now());
        ctx.step(sleeper);
        assertEquals(10_000, ctx.now());
        ctx.wake();
        ctx.step(c -> true);
        assertEquals(10_050, ctx.now(), "an idle step without DMA");
        assertFalse(ctx.run(sleeper, 50_000));
        assertEquals(40_050, ctx.now(), "the step at 50_050 would have come too late");
    }

    @Test
    void theMemlockLimitRefusesAChargeWhole() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, mr0).withMemlockLimit(10);
        assertEquals(0, ctx.chargeLocked(mr0, 8));
        assertEquals(Errno.ENOMEM.negative(), ctx.chargeLocked(mr0, 3));
        assertEquals(8, ctx.pinnedVm());
        assertThrows(IllegalStateException.class, () -> ctx.chargeLocked(mr0, -9));
        assertEquals(List.of("charge mr0 8", "charge mr0 3 refused"), ctx.lines(Event.Charge.class));
    }

    @Test
    void aMovedFrameIsWhatTheNextFaultSeesAndAnInvalidationCollectsDirtyFrames() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, mr0);
        ctx.watch(mr0);
        ctx.moveFrame(mr0, 3, 7777);
        ctx.step(c -> {
            c.fault(mr0, 3, true);
            return true;
        });
        Device odp = new Device() {
            @Override
            public boolean step(DeviceContext c) {
                c.deviceWriteFrame(c.faulted());
                return true;
            }

            @Override
            public void invalidate(Invalidation inv) {
                inv.setPageDirty(ctx.pfnOf(inv.buffer(), inv.from()));
            }
        };
        ctx.step(odp);
        assertEquals(List.of(7777), ctx.invalidate(odp, mr0, 3, 4, true));
        assertEquals(List.of("watch mr0", "fault mr0 3 write", "write-frame 7777", "set_page_dirty 7777"),
                ctx.lines(Event.class));
    }

    @Test
    void aForbiddenCallThrowsAndAnAcceptedRevokeMarksTheMapAndWakesTheDevice() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, mr0).forbid(Event.Dma.class, "this device only pins");
        ctx.step(c -> pinAll(c));
        FakeMap map = ctx.lastMapped();
        assertThrows(UnsupportedOperationException.class, () -> ctx.deviceRead(map, 0));
        ctx.step(c -> {
            c.sleep(1_000);
            return true;
        });
        assertFalse(ctx.revoke(c -> true, map));
        assertTrue(ctx.sleeping() && !map.revoked());
        assertTrue(ctx.revoke(new Device() {
            @Override
            public boolean step(DeviceContext c) {
                return true;
            }

            @Override
            public boolean revoke(DmaMap m) {
                return true;
            }
        }, map));
        assertTrue(map.revoked());
        assertFalse(ctx.sleeping());
    }

    @Test
    void aSeedGivesOneRandomStream() {
        long a = new FakeDeviceContext(11).random().nextLong();
        assertEquals(a, new FakeDeviceContext(11).random().nextLong());
        assertNotEquals(a, new FakeDeviceContext(12).random().nextLong());
    }

    private boolean pinAll(DeviceContext c) {
        c.pin(mr0, 0, mr0.pages(), true, true);
        return true;
    }
}
