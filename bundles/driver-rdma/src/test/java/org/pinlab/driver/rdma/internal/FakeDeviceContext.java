package org.pinlab.driver.rdma.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.Invalidation;
import org.pinlab.api.device.UserBuffer;

/**
 * A kernel stand-in for one device: records every call as a line in {@link #ops}, completes
 * the operation a step started before the next step (as the device host does), and lets a
 * test fail a pin, set RLIMIT_MEMLOCK, move a page to another frame, or invalidate pages.
 * Page {@code i} of buffer {@code b} sits in frame {@code 1000 * (b + 1) + i} until moved.
 */
final class FakeDeviceContext implements DeviceContext {

    record Buffer(String name, String process, int pages, boolean fileBacked) implements UserBuffer {
    }

    static final class FakeMap implements DmaMap {
        final UserBuffer buffer;
        final int first;
        final int[] pfns;
        final boolean write;
        boolean live = true;
        boolean revoked;

        FakeMap(UserBuffer buffer, int first, int[] pfns, boolean write) {
            this.buffer = buffer;
            this.first = first;
            this.pfns = pfns;
            this.write = write;
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
            return pfns.length;
        }

        @Override
        public int pfn(int i) {
            return pfns[i];
        }

        @Override
        public boolean write() {
            return write;
        }

        @Override
        public boolean longterm() {
            return true;
        }

        @Override
        public boolean live() {
            return live;
        }

        @Override
        public boolean revoked() {
            return revoked && live;
        }

        @Override
        public String toString() {
            return buffer.name() + "[" + first + ", " + (first + pfns.length) + ")";
        }
    }

    final List<String> ops = new ArrayList<>();
    final List<UserBuffer> buffers;
    final List<DmaMap> maps = new ArrayList<>();
    final List<String> dmesg = new ArrayList<>();
    /** Pin calls (counted from 1) that fail, with their errno. */
    final Map<Integer, Integer> failPin = new HashMap<>();
    /** Frames moved away from their initial place: "buffer:page" to pfn. */
    final Map<String, Integer> moved = new HashMap<>();
    long memlockLimit = Long.MAX_VALUE;
    long pinnedVm;
    long now;
    int pins;
    /** SplitMix64 state: a fixed stream per seed, as the kernel's split of the run's seed is. */
    private long state;
    private final RandomGenerator random = this::nextLong;

    private String op = "";
    private Runnable completion;
    private int error;
    private DmaMap mapped;
    private int faulted = -1;

    FakeDeviceContext(long seed, UserBuffer... buffers) {
        this.buffers = List.of(buffers);
        this.state = seed;
    }

    private long nextLong() {
        long z = state += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static Buffer buffer(String name, int pages) {
        return new Buffer(name, "app", pages, true);
    }

    int pfnOf(UserBuffer b, int page) {
        Integer m = moved.get(b.name() + ":" + page);
        return m != null ? m : 1000 * (buffers.indexOf(b) + 1) + page;
    }

    /** One device step, then the kernel side of the operation it started. */
    boolean step(Device device) {
        op = "";
        completion = null;
        boolean more = device.step(this);
        error = 0;
        mapped = null;
        faulted = -1;
        if (completion != null) {
            completion.run();
        }
        return more;
    }

    /** Steps until the device ends, simulated time passes {@code until}, or {@code max} steps. */
    int run(Device device, long until, int max) {
        int steps = 0;
        while (now < until && steps < max && step(device)) {
            steps++;
        }
        return steps;
    }

    /** The kernel invalidates pages [from, to) of {@code b}; returns the frames the device dirtied. */
    List<Integer> invalidate(Device device, UserBuffer b, int from, int to, boolean unmap) {
        List<Integer> dirtied = new ArrayList<>();
        device.invalidate(new Invalidation() {
            @Override
            public UserBuffer buffer() {
                return b;
            }

            @Override
            public int from() {
                return from;
            }

            @Override
            public int to() {
                return to;
            }

            @Override
            public boolean unmap() {
                return unmap;
            }

            @Override
            public void setPageDirty(int pfn) {
                dirtied.add(pfn);
                ops.add("set_page_dirty " + pfn);
            }
        });
        return dirtied;
    }

    /** The kernel asks for {@code map} back, as a truncate under the revoke policy does. */
    boolean revoke(Device device, DmaMap map) {
        boolean yes = device.revoke(map);
        ((FakeMap) map).revoked = yes;
        return yes;
    }

    List<String> opsStartingWith(String prefix) {
        return ops.stream().filter(o -> o.startsWith(prefix)).toList();
    }

    private void start(String name, Runnable done) {
        if (!op.isEmpty()) {
            throw new IllegalStateException("two operations in one step: " + op + " and " + name);
        }
        op = name;
        completion = done;
    }

    @Override
    public String name() {
        return "mlx5_0";
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
        return List.copyOf(maps);
    }

    @Override
    public long cost(String key) {
        return 1_000;
    }

    @Override
    public void pin(UserBuffer buffer, int first, int count, boolean write, boolean longterm) {
        int call = ++pins;
        ops.add("pin " + buffer.name() + " " + first + "+" + count + (write ? " write" : " read")
                + (longterm ? " longterm" : ""));
        start("pin", () -> {
            if (failPin.containsKey(call)) {
                error = failPin.get(call);
                return;
            }
            int[] pfns = new int[count];
            for (int i = 0; i < count; i++) {
                pfns[i] = pfnOf(buffer, first + i);
            }
            FakeMap m = new FakeMap(buffer, first, pfns, write);
            maps.add(m);
            mapped = m;
        });
    }

    @Override
    public void release(DmaMap map, boolean dirty) {
        if (!maps.contains(map)) {
            throw new IllegalArgumentException("release of " + map + ", which is not live");
        }
        ops.add("release " + map + (dirty ? " dirty" : " clean"));
        start("release", () -> {
            ((FakeMap) map).live = false;
            maps.remove(map);
        });
    }

    @Override
    public void fault(UserBuffer buffer, int page, boolean write) {
        ops.add("fault " + buffer.name() + " " + page + (write ? " write" : " read"));
        start("fault", () -> faulted = pfnOf(buffer, page));
    }

    @Override
    public void sleep(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("sleep of " + ns);
        }
        start("sleep", () -> now += ns);
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
        return faulted;
    }

    private FakeMap live(DmaMap map, int i) {
        if (!maps.contains(map) || i < 0 || i >= map.pages()) {
            throw new IllegalArgumentException("DMA to page " + i + " of " + map + ", which is not live");
        }
        return (FakeMap) map;
    }

    @Override
    public void deviceWrite(DmaMap map, int i) {
        FakeMap m = live(map, i);
        ops.add("dma-write " + m.buffer.name() + " " + (m.first + i) + " pfn " + m.pfns[i] + " at " + now);
    }

    @Override
    public void deviceRead(DmaMap map, int i) {
        FakeMap m = live(map, i);
        ops.add("dma-read " + m.buffer.name() + " " + (m.first + i) + " pfn " + m.pfns[i] + " at " + now);
    }

    @Override
    public void deviceWriteFrame(int pfn) {
        ops.add("write-frame " + pfn);
    }

    @Override
    public void watch(UserBuffer buffer) {
        ops.add("watch " + buffer.name());
    }

    @Override
    public int chargeLocked(UserBuffer buffer, int pages) {
        if (pages > 0 && pinnedVm + pages > memlockLimit) {
            ops.add("charge " + buffer.name() + " " + pages + " refused");
            return ENOMEM;
        }
        pinnedVm = Math.max(0, pinnedVm + pages);
        ops.add("charge " + buffer.name() + " " + pages);
        return 0;
    }

    @Override
    public void log(String message) {
        dmesg.add(message);
        ops.add("log " + message);
    }

    @Override
    public void warn(String function, String message) {
        ops.add("warn " + function + ": " + message);
    }
}
