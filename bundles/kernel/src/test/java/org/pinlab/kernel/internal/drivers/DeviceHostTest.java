package org.pinlab.kernel.internal.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.Invalidation;
import org.pinlab.api.device.Parameter;
import org.pinlab.api.device.Parameters;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.fs.ext4.internal.Ext4Type;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.Picks;
import org.pinlab.kernel.internal.Script;
import org.pinlab.kernel.internal.Trackers;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.UserRange;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.truncate.TruncatePages;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Schedulers;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;
import org.pinlab.strategies.internal.truncate.RevokePins;

/** The device host: the DMA facade a driver bundle sees, driven by a scripted test device. */
public class DeviceHostTest {

    private static final long MS = 1_000_000;

    /** Pins its whole buffer, writes every page, sleeps, releases dirty; can revoke or not. */
    static final class PinWriteRelease implements Device {
        final boolean revocable;
        final List<String> log = new ArrayList<>();
        int state;
        DmaMap map;

        PinWriteRelease(boolean revocable) {
            this.revocable = revocable;
        }

        @Override
        public boolean step(DeviceContext ctx) {
            switch (state++) {
                case 0:
                    ctx.pin(ctx.buffers().get(0), 0, ctx.buffers().get(0).pages(), true, true);
                    return true;
                case 1:
                    map = ctx.mapped();
                    log.add("pinned " + ctx.error());
                    if (map == null) {
                        return false;
                    }
                    for (int i = 0; i < map.pages(); i++) {
                        ctx.deviceWrite(map, i);
                    }
                    return true;
                case 2:
                    ctx.sleep(10 * MS);
                    return true;
                case 3:
                    log.add("woke revoked=" + map.revoked());
                    ctx.release(map, true);
                    return true;
                default:
                    log.add("released live=" + map.live());
                    return false;
            }
        }

        @Override
        public boolean revoke(DmaMap m) {
            log.add("revoke");
            return revocable;
        }
    }

    public static DeviceType type(Device device) {
        return new DeviceType() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public String description() {
                return "a scripted test device";
            }

            @Override
            public List<Parameter> parameters() {
                return List.of(Parameter.integer("queues", 1, 1, 64, "queues"));
            }

            @Override
            public Device create(DeviceContext context, Map<String, String> params) {
                Parameters.parse("device test", parameters(), params);
                return device;
            }
        };
    }

    private final Machine m = Machine.builder().seed(3).scheduler(Schedulers.earliestFirst())
            .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService())
            .pinTracker(Trackers.merged()).choices(new Picks().release(new TrackedReleaseStrategy())
                    .truncate(new RevokePins()))
            .engine(EngineConfig.DEFAULT.withRaceWindow(1_000)).build();
    private final Kernel k = MachineKernel.of(m);
    private final Mount mount = k.mounts.mount("/mnt", new Ext4Type(), Map.of(), 1024);
    private final Inode file = k.filemap.createFile(mount, 4);
    private final Mm mm = k.mmap.newMm("app");
    private final Vma vma = k.mmap.mmap(mm, 4, true, true, file, 0);

    @Test
    void aDevicePinsWritesAndReleasesThroughTheFacadeWithBalancedCounters() {
        PinWriteRelease dev = new PinWriteRelease(false);
        k.devices.attachDevice(type(dev), "mlx5_0", Map.of(), List.of(k.userBuffer("mr0", mm, vma, 0, 4)));
        m.runUntil(5 * MS);
        assertEquals(4, k.pins.accounting().outstanding().get(0).pfns().length);
        assertEquals(4, k.vm.vmstat(Vmstat.DMA_WRITE_PAGES));
        m.runUntil(20 * MS);
        assertEquals(List.of("pinned 0", "woke revoked=false", "released live=false"), dev.log);
        assertTrue(k.pins.accounting().outstanding().isEmpty());
        assertEquals(k.vm.vmstat(Vmstat.NR_FOLL_PIN_ACQUIRED), k.vm.vmstat(Vmstat.NR_FOLL_PIN_RELEASED));
        assertTrue(m.finish().isEmpty(), m.findings().toString());
    }

    @Test
    void aRevokeUnderTheRevokeTruncatePolicyWakesTheDeviceWhichReleasesEarly() {
        PinWriteRelease dev = new PinWriteRelease(true);
        k.devices.attachDevice(type(dev), "gpu0", Map.of(), List.of(k.userBuffer("bo0", mm, vma, 0, 4)));
        TruncatePages truncate = new TruncatePages(k.truncate, file, 0);
        m.engine().spawn("truncate", new Script("truncate").at(2 * MS).call(() -> truncate), 0);
        m.runUntil(4 * MS);
        assertEquals(List.of("pinned 0", "revoke", "woke revoked=true", "released live=false"), dev.log);
        assertEquals(0, truncate.result);
        assertTrue(k.pins.accounting().outstanding().isEmpty());
        assertTrue(m.finish().isEmpty(), m.findings().toString());
    }

    @Test
    void aDeviceThatCannotRevokeMakesTruncateWaitForTheUnpin() {
        PinWriteRelease dev = new PinWriteRelease(false);
        k.devices.attachDevice(type(dev), "gpu0", Map.of(), List.of(k.userBuffer("bo0", mm, vma, 0, 4)));
        TruncatePages truncate = new TruncatePages(k.truncate, file, 0);
        Script s = new Script("truncate").at(2 * MS).call(() -> truncate).then(0, t -> k.printk.log("truncated"));
        m.engine().spawn("truncate", s, 0);
        m.runUntil(4 * MS);
        assertEquals(List.of("pinned 0", "revoke"), dev.log);
        assertTrue(k.printk.dmesg().isEmpty());
        m.runUntil(20 * MS);
        assertEquals(1, k.printk.dmesg().size());
        assertTrue(k.printk.dmesg().get(0).startsWith("[     0.01"), k.printk.dmesg().toString());
    }

    @Test
    void unpinUserPagesDirtyLockTakesEachFolioLockAndWaitsForItsHolderBeforeDirtyingAndUnpinning() {
        // unpin_user_pages_dirty_lock (mm/gup.c, v6.12): per folio, if (!folio_test_dirty)
        // { folio_lock; folio_mark_dirty; folio_unlock; }, then gup_put_folio
        PinWriteRelease dev = new PinWriteRelease(false);
        k.devices.attachDevice(type(dev), "mlx5_0", Map.of(), List.of(k.userBuffer("mr0", mm, vma, 0, 4)));
        m.engine().spawn("fsync", new Script("fsync").at(1 * MS).call(() -> new Fsync(k.fsWriteback, file)), 0);
        m.runUntil(4 * MS);
        int[] pfns = k.pins.accounting().outstanding().get(0).pfns();
        for (int pfn : pfns) {
            assertFalse(k.frames.test(pfn, org.pinlab.api.mm.PageFlags.DIRTY), "fsync cleaned the pinned pages");
        }
        // someone holds page 2's lock across the device's release at 10 ms, until 15 ms
        m.engine().spawn("holder", new Script("holder").at(5 * MS).call(() -> k.pageLocks.lockPage(pfns[2]))
                .at(15 * MS).then(0, t -> k.pageLocks.unlockPage(pfns[2])), 0);
        m.runUntil(12 * MS);
        assertTrue(dev.log.contains("woke revoked=false"), dev.log.toString());
        assertFalse(dev.log.contains("released live=false"), "the release waits on the folio lock");
        assertTrue(k.frames.test(pfns[0], org.pinlab.api.mm.PageFlags.DIRTY), "folios before it are dirtied");
        assertTrue(k.frames.test(pfns[1], org.pinlab.api.mm.PageFlags.DIRTY));
        assertFalse(k.frames.test(pfns[2], org.pinlab.api.mm.PageFlags.DIRTY), "not without its lock");
        assertEquals(1, k.pins.accounting().outstanding().size(), "no pin is dropped before the dirtying is done");
        m.runUntil(20 * MS);
        assertTrue(dev.log.contains("released live=false"), dev.log.toString());
        for (int pfn : pfns) {
            assertTrue(k.frames.test(pfn, org.pinlab.api.mm.PageFlags.DIRTY));
            assertFalse(k.pageLocks.isLocked(pfn));
        }
        assertTrue(k.pins.accounting().outstanding().isEmpty());
    }

    @Test
    void detachReleasesEveryMappingAndLeavesNoLeak() {
        PinWriteRelease dev = new PinWriteRelease(false);
        k.devices.attachDevice(type(dev), "mlx5_0", Map.of(), List.of(k.userBuffer("mr0", mm, vma, 0, 4)));
        m.runUntil(3 * MS);
        k.devices.detachDevice("mlx5_0");
        m.runUntil(4 * MS);
        assertTrue(k.pins.accounting().outstanding().isEmpty());
        assertTrue(k.devices.list().isEmpty());
        assertFalse(dev.log.contains("woke revoked=false"));
        assertEquals(0, m.engine().count(FindingKind.PIN_LEAK));
    }

    @Test
    void badParametersAndDuplicateNamesAttachNothing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.devices.attachDevice(
                type(new PinWriteRelease(false)), "d", Map.of("queue", "2"), List.of()));
        assertTrue(e.getMessage().contains("unknown parameter 'queue' (did you mean 'queues'?)"), e.getMessage());
        assertTrue(k.devices.list().isEmpty());
        e = assertThrows(IllegalArgumentException.class, () -> k.devices.attachDevice(
                type(new PinWriteRelease(false)), "d", Map.of("queues", "65"), List.of()));
        assertTrue(e.getMessage().contains("'queues' is '65'; expected an integer from 1 to 64"), e.getMessage());
        k.devices.attachDevice(type(new PinWriteRelease(false)), "d", Map.of(), List.of(k.userBuffer("b", mm, vma, 0, 1)));
        assertThrows(IllegalArgumentException.class, () -> k.devices.attachDevice(type(new PinWriteRelease(false)), "d",
                Map.of(), List.of()));
        assertEquals(1, k.devices.list().size());
    }

    @Test
    void theMemlockLimitRefusesAChargeBeyondIt() {
        mm.memlockLimit(3);
        UserRange b = k.userBuffer("mr0", mm, vma, 0, 4);
        DeviceHost host = k.devices.attachDevice(type(new PinWriteRelease(false)), "mlx5_0", Map.of(), List.of(b));
        assertEquals(0, host.chargeLocked(b, 2));
        assertEquals(Errno.ENOMEM.negative(), host.chargeLocked(b, 2));
        assertEquals(2, mm.pinnedVm());
        assertEquals(0, host.chargeLocked(b, -2));
        assertEquals(0, mm.pinnedVm());
    }

    /** An ODP-style device: faults a page in, writes it, and forgets it when invalidated. */
    static final class Odp implements Device {
        final List<String> log = new ArrayList<>();
        int pfn = -1;
        int state;

        @Override
        public boolean step(DeviceContext ctx) {
            if (state == 0) {
                ctx.watch(ctx.buffers().get(0));
                ctx.fault(ctx.buffers().get(0), 0, true);
                state = 1;
                return true;
            }
            if (state == 1) {
                pfn = ctx.faulted();
                ctx.deviceWriteFrame(pfn);
                state = 2;
                ctx.sleep(100 * MS);
                return true;
            }
            return false;
        }

        @Override
        public void invalidate(Invalidation inv) {
            log.add((inv.unmap() ? "unmap " : "protect ") + inv.from());
            if (pfn >= 0) {
                inv.setPageDirty(pfn);
                pfn = -1;
            }
        }
    }

    @Test
    void odpFaultsWithoutAReferenceAndDirtiesOnInvalidation() {
        Odp dev = new Odp();
        k.devices.attachDevice(type(dev), "mlx5_odp", Map.of(), List.of(k.userBuffer("odp0", mm, vma, 0, 4)));
        m.runUntil(MS);
        assertTrue(k.pins.accounting().outstanding().isEmpty(), "ODP pins nothing");
        int pfn = file.mapping.lookup(0);
        m.engine().spawn("fsync", new Script("fsync").call(() -> new Fsync(k.fsWriteback, file)), 0);
        m.runUntil(5 * MS);
        assertEquals(List.of("protect 0"), dev.log);
        assertEquals(-1, dev.pfn);
        assertEquals(pfn, file.mapping.lookup(0));
        assertTrue(m.finish().isEmpty(), m.findings().toString());
    }
}
