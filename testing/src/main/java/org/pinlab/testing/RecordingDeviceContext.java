package org.pinlab.testing;

import java.util.List;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;

import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.testing.DeviceLedger.Breach;
import org.pinlab.testing.DeviceLedger.Taken;

/**
 * The {@link DeviceContext} the device under test gets: the kernel's, with each mapping taken
 * and released and each DMA checked against what the device holds pinned at that moment.
 * A DMA through a mapping that is no longer live, or a second release, is recorded as a breach
 * and not passed on (the kernel would refuse it with an exception and end the run).
 */
final class RecordingDeviceContext implements DeviceContext {

    private final DeviceContext ctx;
    private final DeviceLedger ledger;
    /** Whether the device holds frame {@code pfn} through a GUP grab of its own right now. */
    private final IntPredicate pinnedByDevice;
    private int asked;
    /** Frames made present by the device's hmm_range_fault and not invalidated since (ODP). */
    final java.util.Map<Integer, int[]> faultedFrames = new java.util.HashMap<>();
    private UserBuffer faultBuffer;
    private int faultPage;

    RecordingDeviceContext(DeviceContext ctx, DeviceLedger ledger, IntPredicate pinnedByDevice) {
        this.ctx = ctx;
        this.ledger = ledger;
        this.pinnedByDevice = pinnedByDevice;
    }

    /** Before each device step: the outcome of the operation its previous step started. */
    void observeOutcome() {
        DmaMap m = ctx.mapped();
        if (m != null && !ledger.taken.containsKey(m)) {
            ledger.taken.put(m, new Taken(m, asked, ctx.now()));
        } else if (asked > 0 && m == null && ctx.error() != 0) {
            ledger.failedPins++;
        }
        asked = 0;
        if (ctx.faulted() >= 0 && faultBuffer != null) {
            faultedFrames.put(ctx.faulted(), new int[] {System.identityHashCode(faultBuffer), faultPage});
        }
        faultBuffer = null;
    }

    /** An MMU notifier invalidation: the frames of those pages are no longer the device's to touch. */
    void invalidated(UserBuffer buffer, int from, int to) {
        int id = System.identityHashCode(buffer);
        faultedFrames.values().removeIf(e -> e[0] == id && e[1] >= from && e[1] < to);
    }

    private boolean live(DmaMap map, int i, String op) {
        if (!map.live() || !ctx.maps().contains(map)) {
            ledger.breach(Breach.DMA_OUTSIDE_PIN, now(), op + " through " + describe(map) + " after it was released");
            return false;
        }
        if (i < 0 || i >= map.pages()) {
            ledger.breach(Breach.PAST_END, now(), op + " of page " + i + " of " + describe(map) + ", which maps only "
                    + map.pages() + " pages");
            return false;
        }
        if (map.revoked()) {
            ledger.breach(Breach.AFTER_REVOKE, now(), op + " through " + describe(map) + " after agreeing to revoke it");
        }
        int pfn = map.pfn(i);
        if (!pinnedByDevice.test(pfn)) {
            ledger.breach(Breach.DMA_OUTSIDE_PIN, now(), op + " of pfn " + pfn + " (page " + i + " of " + describe(map)
                    + "), which the device holds no pin on");
        }
        ledger.dmaAccesses++;
        return true;
    }

    private static String describe(DmaMap map) {
        return "the mapping of pages [" + map.first() + ", " + (map.first() + map.pages()) + ") of "
                + map.buffer().name();
    }

    @Override
    public void deviceWrite(DmaMap map, int i) {
        if (live(map, i, "deviceWrite")) {
            ctx.deviceWrite(map, i);
        }
    }

    @Override
    public void deviceRead(DmaMap map, int i) {
        if (live(map, i, "deviceRead")) {
            ctx.deviceRead(map, i);
        }
    }

    @Override
    public void deviceWriteFrame(int pfn) {
        if (!pinnedByDevice.test(pfn) && !faultedFrames.containsKey(pfn)) {
            ledger.breach(Breach.DMA_OUTSIDE_PIN, now(), "deviceWriteFrame of pfn " + pfn + ", which the device neither holds pinned nor"
                    + " found through fault() since the last invalidation");
        }
        ledger.dmaAccesses++;
        ctx.deviceWriteFrame(pfn);
    }

    @Override
    public void release(DmaMap map, boolean dirty) {
        Taken t = ledger.taken.get(map);
        if (!map.live() || !ctx.maps().contains(map)) {
            ledger.breach(Breach.DOUBLE_RELEASE, now(), "release of " + describe(map) + ", which it no longer holds (released twice?)");
            return;
        }
        if (t != null) {
            t.releasedByDevice++;
        }
        ctx.release(map, dirty);
    }

    @Override
    public void pin(UserBuffer buffer, int first, int count, boolean write, boolean longterm) {
        ctx.pin(buffer, first, count, write, longterm);
        asked = count;
        ledger.pinsAsked++;
    }

    @Override
    public void pinFast(UserBuffer buffer, int first, int count, boolean write, boolean longterm) {
        ctx.pinFast(buffer, first, count, write, longterm);
        asked = count;
        ledger.pinsAsked++;
    }

    @Override
    public void fault(UserBuffer buffer, int page, boolean write) {
        ctx.fault(buffer, page, write);
        faultBuffer = buffer;
        faultPage = page;
    }

    @Override
    public String name() {
        return ctx.name();
    }

    @Override
    public long now() {
        return ctx.now();
    }

    @Override
    public RandomGenerator random() {
        return ctx.random();
    }

    @Override
    public List<UserBuffer> buffers() {
        return ctx.buffers();
    }

    @Override
    public List<DmaMap> maps() {
        return ctx.maps();
    }

    @Override
    public long cost(String key) {
        return ctx.cost(key);
    }

    @Override
    public void sleep(long ns) {
        ctx.sleep(ns);
    }

    @Override
    public int error() {
        return ctx.error();
    }

    @Override
    public void returned(String call, int result) {
        ctx.returned(call, result);
    }

    @Override
    public DmaMap mapped() {
        return ctx.mapped();
    }

    @Override
    public int faulted() {
        return ctx.faulted();
    }

    @Override
    public void watch(UserBuffer buffer) {
        ctx.watch(buffer);
    }

    @Override
    public int chargeLocked(UserBuffer buffer, int pages) {
        return ctx.chargeLocked(buffer, pages);
    }

    @Override
    public void log(String message) {
        ctx.log(message);
    }

    @Override
    public void warn(String function, String message) {
        ctx.warn(function, message);
    }
}
