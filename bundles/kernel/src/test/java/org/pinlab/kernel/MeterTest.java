package org.pinlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;

/** What {@code pinlab:status} counts per implementation: calls, failed calls, pages held. */
class MeterTest {

    /** A superblock whose writepage fails with -EIO and whose readPage throws. */
    static final class FailingSb implements Superblock {
        @Override public String typeName() { return "failfs"; }
        @Override public boolean needsPageMkwrite() { return false; }
        @Override public boolean stableWrites() { return false; }
        @Override public int pageMkwrite(PageRef page) { return 0; }
        @Override public int writepage(PageRef page) { return Errno.EIO.negative(); }
        @Override public int readPage(PageRef page) { throw new IllegalStateException("failfs has no blocks"); }
        @Override public boolean releasePage(PageRef page) { return true; }
        @Override public void invalidatePage(PageRef page) { }
        @Override public void freeBlocks(int inode, int from, int to) { }
        @Override public long mappedBlock(int inode, int index) { return -1; }
    }

    static final class FailFs implements FilesystemType {
        @Override public String name() { return "failfs"; }
        @Override public String description() { return "fails"; }
        @Override public Superblock mount(FsKernel kernel, Map<String, String> options) { return new FailingSb(); }
    }

    @Test
    void everyCallIntoWhatAFilesystemMountedCountsAsTheFilesystemsAndErrnoResultsAndThrowsAsErrors() {
        Meter meter = new Meter();
        FailFs fs = new FailFs();
        Superblock sb = meter.wrap(FilesystemType.class, fs, fs).mount(null, Map.of());
        assertEquals(Errno.EIO.negative(), sb.writepage(null));
        assertEquals(Errno.EIO.negative(), sb.writepage(null));
        assertEquals(0, sb.pageMkwrite(null));
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> sb.readPage(null));
        assertEquals("failfs has no blocks", thrown.getMessage(), "the implementation's own exception comes through");
        assertEquals(-1, sb.mappedBlock(1, 0), "a negative long is a value, not an errno");

        Meter.Count c = meter.counts().get(0);
        assertSame(fs, c.implementation(), "counted as the type that mounted it, never a proxy");
        assertEquals(6, c.calls(), "mount + 2 writepage + page_mkwrite + readpage + mapped block");
        assertEquals(3, c.errors(), "two -EIO and one throw");
        assertEquals(1, meter.counts().size());
    }

    @Test
    void namesDescriptionsAndObjectMethodsAreNotKernelCallsAndOneTargetHasOneProxy() {
        Meter meter = new Meter();
        FailFs fs = new FailFs();
        FilesystemType a = meter.wrap(FilesystemType.class, fs, fs);
        assertEquals("failfs", a.name());
        assertEquals("fails", a.description());
        a.hashCode();
        a.toString();
        assertSame(a, meter.wrap(FilesystemType.class, fs, fs));
        assertSame(a, meter.wrap(FilesystemType.class, a, fs), "a proxy is not wrapped again");
        assertNotSame(fs, a);
        assertEquals(0, meter.counts().get(0).calls());
    }

    /** A device's context: its last operation's errno and its DMA mappings, as the fake is told. */
    static DeviceContext context(int[] error, List<DmaMap> maps) {
        return (DeviceContext) Proxy.newProxyInstance(DeviceContext.class.getClassLoader(),
                new Class<?>[] {DeviceContext.class}, (p, m, args) -> switch (m.getName()) {
                    case "error" -> error[0];
                    case "maps" -> List.copyOf(maps);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    static DmaMap map(int pages, boolean live) {
        return (DmaMap) Proxy.newProxyInstance(DmaMap.class.getClassLoader(), new Class<?>[] {DmaMap.class},
                (p, m, args) -> switch (m.getName()) {
                    case "pages" -> pages;
                    case "live" -> live;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    static final class StepDevice implements DeviceType {
        @Override public String name() { return "stepper"; }
        @Override public String description() { return "steps"; }
        @Override public List<org.pinlab.api.device.Parameter> parameters() { return List.of(); }
        @Override public Device create(DeviceContext context, Map<String, String> params) { return ctx -> true; }
    }

    @Test
    void aDeviceStepAfterAFailedOperationIsAnErrorAndItsLiveMappingsAreThePagesItHolds() {
        Meter meter = new Meter();
        StepDevice type = new StepDevice();
        int[] error = {0};
        List<DmaMap> maps = new ArrayList<>();
        DeviceContext ctx = context(error, maps);
        Device d = meter.wrap(DeviceType.class, type, type).create(ctx, null);
        d.step(ctx);
        error[0] = Errno.EFAULT.negative(); // the pin it started came back -EFAULT
        d.step(ctx);
        error[0] = 0;
        maps.add(map(8, true));
        maps.add(map(4, false)); // released: no longer held
        maps.add(map(2, true));
        d.step(ctx);

        Meter.Count c = meter.counts().get(0);
        assertEquals(4, c.calls(), "create + three steps");
        assertEquals(1, c.errors());
        assertEquals(10, c.pagesHeld());

        meter.machineEnded(); // the boot is over: its mappings are not held by anyone now
        assertEquals(0, meter.counts().get(0).pagesHeld());
        assertEquals(4, meter.counts().get(0).calls(), "calls add up over boots");
    }
}
