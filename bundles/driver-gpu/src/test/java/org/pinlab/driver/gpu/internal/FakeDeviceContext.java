package org.pinlab.driver.gpu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.UserBuffer;

/**
 * A device host for unit tests: steps one device, completes the operation each step started
 * as the kernel would (a pin makes a map, a release ends it, a sleep passes time unless
 * {@link #wake} cuts it short), and records every operation and DMA access with its time.
 */
final class FakeDeviceContext implements DeviceContext {

    static final long PIN_NS = 10_000;
    static final long RELEASE_NS = 5_000;
    static final long IDLE_STEP_NS = 50;

    /** One recorded operation or access. */
    record Op(long at, String kind, String buffer, String detail) {
        @Override
        public String toString() {
            return at + " " + kind + " " + buffer + " " + detail;
        }
    }

    record FakeBuffer(String name, int pages, boolean fileBacked) implements UserBuffer {
        @Override
        public String process() {
            return "app";
        }
    }

    static final class FakeMap implements DmaMap {
        final UserBuffer buffer;
        final int first;
        final int pages;
        final boolean write;
        final boolean longterm;
        boolean live = true;

        FakeMap(UserBuffer buffer, int first, int pages, boolean write, boolean longterm) {
            this.buffer = buffer;
            this.first = first;
            this.pages = pages;
            this.write = write;
            this.longterm = longterm;
        }

        @Override
        public UserBuffer buffer() {
            return buffer;
        }

        @Override
        public int first() {
            return first;
        }

        @Override
        public int pages() {
            return pages;
        }

        @Override
        public int pfn(int i) {
            return 1000 + first + i;
        }

        @Override
        public boolean write() {
            return write;
        }

        @Override
        public boolean longterm() {
            return longterm;
        }

        @Override
        public boolean live() {
            return live;
        }

        @Override
        public boolean revoked() {
            return false;
        }
    }

    final List<Op> ops = new ArrayList<>();
    final List<String> dmesg = new ArrayList<>();
    final List<FakeMap> maps = new ArrayList<>();
    private final List<UserBuffer> buffers;
    private Device device;
    private long now;
    private long seed = 42;
    private final RandomGenerator random = this::splitMix;

    private boolean inStep;
    private String op;
    private FakeMap pinned;
    private FakeMap releasing;
    private boolean dirty;
    private long sleepNs;
    private long sleepUntil = -1;
    private int failNextPin;

    private int error;
    private DmaMap mapped;

    FakeDeviceContext(UserBuffer... buffers) {
        this.buffers = List.of(buffers);
    }

    void attach(Device d) {
        this.device = d;
    }

    /** The next pin fails with {@code errno}. */
    void failNextPin(int errno) {
        failNextPin = errno;
    }

    /** A revoke or detach woke the device: its sleep ends now. */
    void wake() {
        sleepUntil = -1;
    }

    /** Whether the last step started a sleep that has not passed yet. */
    boolean sleeping() {
        return sleepUntil >= 0;
    }

    /** The mapping the last completed pin made, or null. */
    FakeMap lastPinned() {
        return maps.isEmpty() ? null : maps.get(maps.size() - 1);
    }

    /** One device step, then the kernel's completion of the operation it started. */
    boolean step() {
        if (sleepUntil >= 0) {
            now = sleepUntil;
            sleepUntil = -1;
        }
        op = null;
        inStep = true;
        boolean more;
        try {
            more = device.step(this);
        } finally {
            inStep = false;
        }
        error = 0;
        mapped = null;
        if (op == null) {
            now += IDLE_STEP_NS;
        } else if (op.equals("pin")) {
            now += PIN_NS;
            if (failNextPin != 0) {
                error = failNextPin;
                failNextPin = 0;
            } else {
                maps.add(pinned);
                mapped = pinned;
            }
        } else if (op.equals("release")) {
            now += RELEASE_NS;
            releasing.live = false;
        } else {
            sleepUntil = now + sleepNs;
        }
        return more;
    }

    /** Steps until the device is done or time passes {@code until}; true if it is done. */
    boolean runUntil(long until) {
        while (now < until) {
            if (!step()) {
                return true;
            }
        }
        return false;
    }

    List<Op> ops(String kind) {
        return ops.stream().filter(o -> o.kind().equals(kind)).toList();
    }

    private long splitMix() {
        seed += 0x9E3779B97F4A7C15L;
        long z = seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void start(String next) {
        if (!inStep) {
            throw new IllegalStateException("operation outside step: " + next);
        }
        if (op != null) {
            throw new IllegalStateException("two operations in one step: " + op + " then " + next);
        }
        op = next;
    }

    private FakeMap live(DmaMap map, int i) {
        if (!(map instanceof FakeMap) || !((FakeMap) map).live) {
            throw new IllegalArgumentException("DMA through a dead mapping " + map);
        }
        if (i < 0 || i >= map.pages()) {
            throw new IllegalArgumentException("page " + i + " outside the mapping");
        }
        return (FakeMap) map;
    }

    // ---- DeviceContext ----

    @Override
    public String name() {
        return "gpu0";
    }

    @Override
    public long now() {
        return now;
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
        return maps.stream().filter(m -> m.live).map(m -> (DmaMap) m).toList();
    }

    @Override
    public long cost(String key) {
        return 1_000;
    }

    @Override
    public void pin(UserBuffer buffer, int first, int count, boolean write, boolean longterm) {
        if (!buffers.contains(buffer) || first < 0 || count < 1 || first + count > buffer.pages()) {
            throw new IllegalArgumentException("bad pin " + buffer + " " + first + "+" + count);
        }
        start("pin");
        pinned = new FakeMap(buffer, first, count, write, longterm);
        ops.add(new Op(now, "pin", buffer.name(), "[" + first + ", " + (first + count) + ")" + (write ? " rw" : " ro")
                + (longterm ? " longterm" : "")));
    }

    @Override
    public void release(DmaMap map, boolean dirtyPages) {
        live(map, 0);
        start("release");
        releasing = (FakeMap) map;
        dirty = dirtyPages;
        ops.add(new Op(now, "release", map.buffer().name(), dirty ? "dirty" : "clean"));
    }

    @Override
    public void fault(UserBuffer buffer, int page, boolean write) {
        throw new UnsupportedOperationException("the GPU pins; it never faults through HMM here");
    }

    @Override
    public void sleep(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("sleep " + ns);
        }
        start("sleep");
        sleepNs = ns;
        ops.add(new Op(now, "sleep", "-", Long.toString(ns)));
    }

    @Override
    public int error() {
        return error;
    }

    @Override
    public DmaMap mapped() {
        return mapped;
    }

    @Override
    public int faulted() {
        return -1;
    }

    @Override
    public void deviceWrite(DmaMap map, int i) {
        live(map, i);
        ops.add(new Op(now, "write", map.buffer().name(), Integer.toString(map.first() + i)));
    }

    @Override
    public void deviceRead(DmaMap map, int i) {
        live(map, i);
        ops.add(new Op(now, "read", map.buffer().name(), Integer.toString(map.first() + i)));
    }

    @Override
    public void deviceWriteFrame(int pfn) {
        throw new UnsupportedOperationException("the GPU writes through its pinned mappings only");
    }

    @Override
    public void watch(UserBuffer buffer) {
        throw new UnsupportedOperationException("the GPU registers no notifier here");
    }

    @Override
    public int chargeLocked(UserBuffer buffer, int pages) {
        return 0;
    }

    @Override
    public void log(String message) {
        dmesg.add(message);
    }

    @Override
    public void warn(String function, String message) {
        dmesg.add("WARN " + function + ": " + message);
    }
}
