package org.pinlab.kernel.internal.drivers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.Invalidation;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.MmuNotifier;
import org.pinlab.kernel.internal.mm.UserRange;
import org.pinlab.kernel.internal.mm.gup.GetUserPages;
import org.pinlab.sim.Proc;
import org.pinlab.sim.SeededRandom;
import org.pinlab.sim.Task;
import org.pinlab.sim.WaitQueue;

/**
 * One attached device, run as one task: the driver's thread and the device's DMA engine in
 * one. Each step asks the {@link Device} for its next step and carries out the one
 * operation it started (a pin through GUP, a release, an {@code hmm_range_fault}, a sleep).
 *
 * <p>Departure from the kernel: a real device runs beside the CPUs and raises interrupts;
 * here its DMA happens inside its own steps, so the scheduler interleaves device writes with
 * kernel paths at step granularity, which is where the races are.
 */
public final class DeviceHost extends Proc implements DeviceContext, MmuNotifier {

    private enum Op { NONE, PIN, RELEASE, FAULT, SLEEP }

    /** Ask the device for its next step; the pin, release or fault it started returned; release all. */
    private enum Step implements Proc.State { ASK_DEVICE, PINNED, RELEASED, FAULTED, DRAIN }

    private static final Step[] STEPS = byPc(Step.values());

    private final Devices k;
    private final String name;
    private final List<UserBuffer> buffers;
    private final RandomGenerator random;
    private final WaitQueue wake;
    private Device device;
    private final List<DeviceMap> maps = new ArrayList<>();
    private final List<DmaMap> mapsView = Collections.unmodifiableList(maps);

    private Op op = Op.NONE;
    private UserRange opBuffer;
    private int opFirst;
    private int opCount;
    private boolean opWrite;
    private boolean opLongterm;
    private boolean opFast;
    private DeviceMap opMap;
    private boolean opDirty;
    private long opSleep;
    private DmaMapping pending;
    private GetUserPages faultWalk;
    private int faultPfn = -1;
    private long stepCost;

    private int error;
    private DmaMap mapped;
    private int faulted = -1;
    private boolean detaching;
    private boolean inStep;

    DeviceHost(Devices k, String name, List<UserBuffer> buffers, SeededRandom random) {
        super(name + "_dma");
        this.k = k;
        this.name = name;
        this.buffers = List.copyOf(buffers);
        this.random = random::nextLong;
        this.wake = new WaitQueue(name + "_wait");
    }

    void bind(Device device) {
        this.device = device;
    }

    public Device device() {
        return device;
    }

    /** Asks the device to end: it releases what it maps and its task ends (the driver's bundle stopped). */
    void detach() {
        detaching = true;
        wake.wakeAll();
    }

    /** Wakes the device from a sleep (a revoke to answer, a shutdown). */
    void kick() {
        wake.wakeAll();
    }

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case ASK_DEVICE:
                return deviceStep(t);
            case PINNED:
                // ib_umem_get / pin_user_pages_fast returned
                if (pending.mapped()) {
                    DeviceMap m = new DeviceMap(pending, opBuffer, opFirst, opWrite, opLongterm);
                    maps.add(m);
                    k.metrics.dmaMapped(m.pages());
                    mapped = m;
                    error = 0;
                } else {
                    mapped = null;
                    error = pending.error;
                }
                pending = null;
                resume(Step.ASK_DEVICE);
                return t.next(0);
            case RELEASED:
                k.metrics.dmaMapped(-opMap.pages());
                opMap.live = false;
                maps.remove(opMap);
                opMap = null;
                error = 0;
                resume(detaching || k.shuttingDown ? Step.DRAIN : Step.ASK_DEVICE);
                return t.next(0);
            case FAULTED:
                faulted = faultWalk.result >= 1 ? faultPfn : -1;
                error = faultWalk.result >= 1 ? 0 : faultWalk.result;
                faultWalk = null;
                resume(Step.ASK_DEVICE);
                return t.next(0);
            case DRAIN:
                return drain(t);
            default:
                throw new IllegalStateException(name + "_dma: bad pc " + pc);
        }
    }

    private int deviceStep(Task t) {
        if (detaching || k.shuttingDown) {
            return drain(t);
        }
        op = Op.NONE;
        stepCost = 0;
        inStep = true;
        boolean more;
        try {
            more = device.step(this);
        } finally {
            inStep = false;
        }
        mapped = null;
        faulted = -1;
        error = 0;
        if (!more) {
            return drain(t);
        }
        switch (op) {
            case PIN: {
                // pin_user_pages(_fast), or get_user_pages(_fast), as the release strategy says;
                // pinFast for bio_iov_iter_get_pages -> iov_iter_extract_pages (v6.12)
                pending = new DmaMapping(k, name, opBuffer.mm, opBuffer.vpn(opFirst), opCount, opWrite, opLongterm,
                        opFast);
                resume(Step.PINNED);
                return t.call(pending.map());
            }
            case RELEASE:
                // ib_umem_release -> unpin_user_pages_dirty_lock, or set_page_dirty_lock + put_page
                resume(Step.RELEASED);
                return t.call(opMap.dma.unmap(opDirty));
            case FAULT: {
                // hmm_range_fault: fault the page in and look it up, taking no reference
                faultPfn = -1;
                faultWalk = new GetUserPages(k.gup, opBuffer.mm, opBuffer.vpn(opFirst), 1, opWrite, pfn -> {
                    faultPfn = pfn;
                    return true;
                });
                resume(Step.FAULTED);
                return t.call(faultWalk);
            }
            case SLEEP:
                return t.idleFor(wake, opSleep);
            case NONE:
            default:
                return t.next(Math.max(stepCost, k.cost(Cost.CPU_STEP)));
        }
    }

    /** Releases every live mapping, one per step, dirtying what the device could write; then ends. */
    private int drain(Task t) {
        for (DeviceMap m : maps) {
            if (m.live) {
                opMap = m;
                resume(Step.RELEASED);
                return t.call(m.dma.unmap(m.write()));
            }
        }
        for (UserBuffer b : buffers) {
            ((UserRange) b).watchers.remove(this);
        }
        k.devices.remove(this);
        return t.ret();
    }

    /** Asks the device to give back every live mapping holding {@code pfn}; true if any will go. */
    boolean revoke(int pfn) {
        boolean any = false;
        for (DeviceMap m : maps) {
            if (m.holds(pfn) && !m.revokeAsked) {
                m.revokeAsked = true;
                if (device.revoke(m)) {
                    m.revoked = true;
                    any = true;
                }
            }
        }
        if (any) {
            wake.wakeAll();
        }
        return any;
    }

    /** {@code mmu_notifier_invalidate_range_start} for slot {@code slot} of a watched range. */
    @Override
    public void invalidate(UserRange r, int slot, boolean unmap) {
        int page = r.pageOfSlot(slot);
        if (page < 0) {
            return;
        }
        device.invalidate(new Invalidation() {
            @Override
            public UserBuffer buffer() {
                return r;
            }

            @Override
            public int from() {
                return page;
            }

            @Override
            public int to() {
                return page + 1;
            }

            @Override
            public boolean unmap() {
                return unmap;
            }

            @Override
            public void setPageDirty(int pfn) {
                if (!k.frames.test(pfn, PageFlags.BUDDY)) {
                    k.filemap.setPageDirty(pfn);
                }
            }
        });
    }

    // ---- DeviceContext ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public long now() {
        return k.engine.now();
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public List<UserBuffer> buffers() {
        return buffers;
    }

    @Override
    public List<DmaMap> maps() {
        return mapsView;
    }

    @Override
    public long cost(String key) {
        return k.cost(CostTable.byKey(key));
    }

    private void start(Op next) {
        if (!inStep) {
            throw new IllegalStateException(name + ": operations start only inside Device.step");
        }
        if (op != Op.NONE) {
            throw new IllegalStateException(name + ": one operation per step; " + op + " was already started");
        }
        op = next;
    }

    private UserRange own(UserBuffer b) {
        if (!(b instanceof UserRange) || !buffers.contains(b)) {
            throw new IllegalArgumentException(name + ": " + b + " is not one of this device's buffers");
        }
        return (UserRange) b;
    }

    @Override
    public void pin(UserBuffer buffer, int first, int count, boolean write, boolean longterm) {
        startPin(buffer, first, count, write, longterm, false);
    }

    @Override
    public void pinFast(UserBuffer buffer, int first, int count, boolean write, boolean longterm) {
        startPin(buffer, first, count, write, longterm, true);
    }

    private void startPin(UserBuffer buffer, int first, int count, boolean write, boolean longterm, boolean fast) {
        UserRange r = own(buffer);
        if (first < 0 || count < 1 || first + count > r.pages()) {
            throw new IllegalArgumentException(name + ": pages [" + first + ", " + (first + count) + ") outside "
                    + r);
        }
        start(Op.PIN);
        opBuffer = r;
        opFirst = first;
        opCount = count;
        opWrite = write;
        opLongterm = longterm;
        opFast = fast;
    }

    @Override
    public void release(DmaMap map, boolean dirty) {
        if (!(map instanceof DeviceMap) || !maps.contains(map)) {
            throw new IllegalArgumentException(name + ": " + map + " is not a live mapping of this device");
        }
        start(Op.RELEASE);
        opMap = (DeviceMap) map;
        opDirty = dirty;
    }

    @Override
    public void fault(UserBuffer buffer, int page, boolean write) {
        UserRange r = own(buffer);
        if (page < 0 || page >= r.pages()) {
            throw new IllegalArgumentException(name + ": page " + page + " outside " + r);
        }
        start(Op.FAULT);
        opBuffer = r;
        opFirst = page;
        opWrite = write;
    }

    @Override
    public void sleep(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException(name + ": sleep of " + ns + " ns");
        }
        start(Op.SLEEP);
        opSleep = ns;
    }

    @Override
    public int error() {
        return error;
    }

    @Override
    public void returned(String call, int result) {
        k.metrics.returned(java.util.Objects.requireNonNull(call, "call"), result);
    }

    @Override
    public DmaMap mapped() {
        return mapped;
    }

    @Override
    public int faulted() {
        return faulted;
    }

    private DeviceMap live(DmaMap map, int i) {
        if (!(map instanceof DeviceMap) || !((DeviceMap) map).live || !maps.contains(map)) {
            throw new IllegalArgumentException(name + ": DMA through " + map + ", which is not live");
        }
        if (i < 0 || i >= map.pages()) {
            throw new IllegalArgumentException(name + ": page " + i + " outside " + map);
        }
        return (DeviceMap) map;
    }

    @Override
    public void deviceWrite(DmaMap map, int i) {
        live(map, i).dma.deviceWrite(i);
        k.vm.count(Vmstat.DMA_WRITE_PAGES, 1);
        stepCost += k.cost(Cost.DMA_PAGE);
    }

    @Override
    public void deviceRead(DmaMap map, int i) {
        int pfn = live(map, i).pfn(i);
        if (k.frames.test(pfn, PageFlags.BUDDY)) {
            k.oracles.useAfterFree(pfn, "DMA read by " + name);
        }
        k.vm.count(Vmstat.DMA_READ_PAGES, 1);
        stepCost += k.cost(Cost.DMA_PAGE);
    }

    @Override
    public void deviceWriteFrame(int pfn) {
        if (pfn < 0 || pfn >= k.frames.frames()) {
            throw new IllegalArgumentException(name + ": no frame " + pfn);
        }
        k.dmaWrite(pfn);
        k.vm.count(Vmstat.DMA_WRITE_PAGES, 1);
        stepCost += k.cost(Cost.DMA_PAGE);
    }

    @Override
    public void watch(UserBuffer buffer) {
        UserRange r = own(buffer);
        if (!r.watchers.contains(this)) {
            r.watchers.add(this);
        }
    }

    @Override
    public int chargeLocked(UserBuffer buffer, int pages) {
        Mm mm = own(buffer).mm;
        long after = mm.pinnedVm + pages;
        if (pages > 0 && after > mm.memlockLimit) {
            return Errno.ENOMEM.negative(); // ib_umem_get: atomic64_add_return(npages, &mm->pinned_vm) > lock_limit
        }
        mm.pinnedVm = Math.max(0, after);
        return 0;
    }

    @Override
    public void log(String message) {
        k.printk.log(name + ": " + message);
    }

    @Override
    public void warn(String function, String message) {
        k.printk.warn(function, message);
    }
}
