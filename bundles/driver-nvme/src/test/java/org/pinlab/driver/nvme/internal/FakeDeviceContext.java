package org.pinlab.driver.nvme.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.UserBuffer;

/**
 * A device host for unit tests: runs one device alone, records every operation with its
 * simulated time, and holds the device to the SPI's rules (one timed operation per step,
 * DMA only through live mappings, pins inside the buffer). Pins and releases take fixed
 * times; a step without an operation costs 50 ns plus 1 us per page moved by DMA.
 */
final class FakeDeviceContext implements DeviceContext {

    static final long PIN_NS = 2_000;
    static final long RELEASE_NS = 1_000;
    static final long STEP_NS = 50;
    static final long DMA_PAGE_NS = 1_000;

    enum Kind { PIN, DMA_WRITE, DMA_READ, RELEASE, SLEEP }

    /** One recorded operation: {@code flag} is FOLL_WRITE for a pin, dirty for a release. */
    record Event(long at, Kind kind, FakeMap map, int page, boolean flag, long ns) {
    }

    static final class FakeBuffer implements UserBuffer {
        private final String name;
        private final int pages;

        FakeBuffer(String name, int pages) {
            this.name = name;
            this.pages = pages;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String process() {
            return "fio";
        }

        @Override
        public int pages() {
            return pages;
        }

        @Override
        public boolean fileBacked() {
            return true;
        }
    }

    static final class FakeMap implements DmaMap {
        final int id;
        final UserBuffer buffer;
        final int first;
        final int pages;
        final boolean write;
        final boolean longterm;
        /** When the pin returned: the bio was submitted then. */
        long mappedAt;
        boolean live = true;

        FakeMap(int id, UserBuffer buffer, int first, int pages, boolean write, boolean longterm) {
            this.id = id;
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
            return 1000 * id + i;
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

        @Override
        public String toString() {
            return "map" + id + "[" + first + "+" + pages + (write ? " w" : " r") + "]";
        }
    }

    /** SplitMix64: the fake's own seeded stream, as the kernel gives each device one. */
    private static final class SeededStream implements RandomGenerator {
        private long state;

        SeededStream(long seed) {
            state = seed;
        }

        @Override
        public long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    final List<Event> events = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    /** Pin calls (0-based, in call order) that fail with -ENOMEM. */
    final Set<Integer> failingPins = new HashSet<>();
    final Map<String, Long> costs = Map.of("block-read", 80_000L, "block-write", 20_000L);

    private final List<UserBuffer> buffers;
    private final RandomGenerator random;
    private final List<DmaMap> maps = new ArrayList<>();
    private long now;
    private int pinCalls;
    private int nextMapId;
    private int maxLive;
    private boolean ended;

    private Kind op;
    private FakeMap opMap;
    private long opNs;
    private int dmaPages;
    private boolean inStep;

    private int error;
    private DmaMap mapped;

    FakeDeviceContext(long seed, UserBuffer... buffers) {
        this.buffers = List.of(buffers);
        this.random = new SeededStream(seed);
    }

    /** Steps {@code device} as the kernel would until simulated time {@code untilNs} or its end. */
    FakeDeviceContext run(Device device, long untilNs) {
        while (!ended && now < untilNs) {
            op = null;
            dmaPages = 0;
            inStep = true;
            boolean more;
            try {
                more = device.step(this);
            } finally {
                inStep = false;
            }
            error = 0;
            mapped = null;
            if (!more) {
                ended = true;
                break;
            }
            if (op == null) {
                now += STEP_NS + dmaPages * DMA_PAGE_NS;
            } else if (op == Kind.PIN) {
                now += PIN_NS;
                if (failingPins.contains(pinCalls++)) {
                    error = ENOMEM;
                    nextMapId++;
                } else {
                    opMap.mappedAt = now;
                    maps.add(opMap);
                    maxLive = Math.max(maxLive, maps.size());
                    mapped = opMap;
                }
            } else if (op == Kind.RELEASE) {
                now += RELEASE_NS;
                opMap.live = false;
                maps.remove(opMap);
            } else {
                now += opNs;
            }
        }
        return this;
    }

    boolean ended() {
        return ended;
    }

    /** The most mappings live at once. */
    int maxLive() {
        return maxLive;
    }

    List<Event> events(Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }

    private void start(Kind kind) {
        if (!inStep) {
            throw new IllegalStateException("operation outside step");
        }
        if (op != null) {
            throw new IllegalStateException("second operation in one step: " + op + " then " + kind);
        }
        op = kind;
    }

    private FakeMap live(DmaMap map, int i) {
        if (!(map instanceof FakeMap m) || !m.live || !maps.contains(m)) {
            throw new IllegalStateException("DMA through " + map + ", which is not live");
        }
        if (i < 0 || i >= m.pages) {
            throw new IllegalStateException("page " + i + " outside " + m);
        }
        return m;
    }

    @Override
    public String name() {
        return "nvme0n1";
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
        Long ns = costs.get(key);
        if (ns == null) {
            throw new IllegalArgumentException("unknown cost '" + key + "'");
        }
        return ns;
    }

    @Override
    public void pin(UserBuffer buffer, int first, int count, boolean write, boolean longterm) {
        if (!buffers.contains(buffer) || first < 0 || count < 1 || first + count > buffer.pages()) {
            throw new IllegalArgumentException("pin of [" + first + ", " + (first + count) + ") outside " + buffer);
        }
        start(Kind.PIN);
        opMap = new FakeMap(nextMapId++, buffer, first, count, write, longterm);
        events.add(new Event(now, Kind.PIN, opMap, first, write, 0));
    }

    @Override
    public void release(DmaMap map, boolean dirty) {
        live(map, 0);
        start(Kind.RELEASE);
        opMap = (FakeMap) map;
        events.add(new Event(now, Kind.RELEASE, opMap, 0, dirty, 0));
    }

    @Override
    public void fault(UserBuffer buffer, int page, boolean write) {
        throw new UnsupportedOperationException("an NVMe disk never faults pages in");
    }

    @Override
    public void sleep(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("sleep of " + ns);
        }
        start(Kind.SLEEP);
        opNs = ns;
        events.add(new Event(now, Kind.SLEEP, null, 0, false, ns));
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
        events.add(new Event(now, Kind.DMA_WRITE, live(map, i), i, false, 0));
        dmaPages++;
    }

    @Override
    public void deviceRead(DmaMap map, int i) {
        events.add(new Event(now, Kind.DMA_READ, live(map, i), i, false, 0));
        dmaPages++;
    }

    @Override
    public void deviceWriteFrame(int pfn) {
        throw new UnsupportedOperationException("an NVMe disk writes only through its bios' mappings");
    }

    @Override
    public void watch(UserBuffer buffer) {
        throw new UnsupportedOperationException("an NVMe disk registers no MMU notifier");
    }

    @Override
    public int chargeLocked(UserBuffer buffer, int pages) {
        throw new UnsupportedOperationException("short-term pins are not charged to RLIMIT_MEMLOCK");
    }

    @Override
    public void log(String message) {
        log.add(message);
    }

    @Override
    public void warn(String function, String message) {
        log.add("WARN " + function + ": " + message);
    }
}
