package org.pinlab.api.device.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.Invalidation;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.errno.Errno;

/**
 * The kernel's side of the device SPI for unit tests of one device, alone on a machine without
 * memory: it steps the device, completes the operation each step started as the kernel's device
 * host would, and records every call as an {@link Event} (log lines go to {@link #dmesg()}).
 * Shipped in the api test-jar.
 *
 * <p>It holds the device to the SPI's rules: operations that take time only inside
 * {@link Device#step} and at most one per step, pins inside a buffer of the device, release and
 * DMA only through live mappings, faults only of watched buffers, no uncharging of more than was
 * charged, and whatever a test {@linkplain #forbid forbids}. A broken rule throws out of the
 * device's call.
 *
 * <p>Time: a pin, release or fault takes the {@linkplain #withTime time a test sets} (none by
 * default); a step that starts none of them takes its {@linkplain #withStepTime step time}; a
 * sleep ends at the start of the next step unless {@link #wake} or an accepted {@link #revoke}
 * cuts it short. Frames: page {@code i} of the {@code b}-th buffer (from 0) sits in frame
 * {@code 1000 * (b + 1) + i} until {@link #moveFrame} moves it. Randomness: SplitMix64 from the
 * seed, so a seed gives one run. Every pin, fault and charge is of the one process whose
 * RLIMIT_MEMLOCK {@link #withMemlockLimit} sets.
 *
 * <pre>{@code
 * FakeDeviceContext ctx = new FakeDeviceContext(1, FakeBuffer.file("mr0", 64)).withMemlockLimit(32);
 * Device d = new MyType().create(ctx, Map.of());
 * ctx.run(d, 10_000_000);
 * assertEquals(List.of("charge mr0 64 refused"), ctx.lines(Event.Charge.class));
 * }</pre>
 */
public final class FakeDeviceContext implements DeviceContext {

    private final List<UserBuffer> buffers;
    private final RandomGenerator random;
    private String name = "dev0";
    private final Map<String, Long> costs = new HashMap<>();
    /** How long a pin, release or fault takes. */
    private final Map<Class<? extends Event>, Long> times = new HashMap<>();
    private long stepNs;
    private long dmaPageNs;
    private long memlockLimit = Long.MAX_VALUE;
    /** Calls of pin and fault so far, and the errnos of failing ones by call number (from 1). */
    private final Map<Class<? extends Event>, Integer> calls = new HashMap<>();
    private final Map<Class<? extends Event>, Map<Integer, Integer>> errors = new HashMap<>();
    private final Map<Class<? extends Event>, String> forbidden = new HashMap<>();
    /** Pin calls (from 1) that map only so many pages, as a kernel pin that stops part-way. */
    private final Map<Integer, Integer> shortPins = new HashMap<>();
    /** Frames moved away from their first place, by "buffer:page". */
    private final Map<String, Integer> moved = new HashMap<>();
    private final Set<UserBuffer> watched = new HashSet<>();

    private final List<Event> events = new ArrayList<>();
    private final List<String> dmesg = new ArrayList<>();
    private final List<FakeMap> live = new ArrayList<>();
    private FakeMap lastMapped;
    private int maxLive;
    private long pinnedVm;
    private long now;
    private long wakeAt = -1;
    private boolean ended;

    private boolean inStep;
    private String operation;
    private Runnable completion;
    private int dmaPages;
    private Outcome outcome = Outcome.NONE;

    /** A context whose device gets {@code buffers}, in this order, and the random stream of {@code seed}. */
    public FakeDeviceContext(long seed, UserBuffer... buffers) {
        this.buffers = List.of(buffers);
        this.random = new SplitMix64(seed);
    }

    // ---- configuration ----

    /** The device's instance name ({@code dev0} unless set). */
    public FakeDeviceContext withName(String deviceName) {
        name = deviceName;
        return this;
    }

    /** A cost-table entry; {@link #cost} of a key that was not set fails. */
    public FakeDeviceContext withCost(String key, long ns) {
        costs.put(key, ns);
        return this;
    }

    /** Each {@code Event.Pin}, {@code Event.Release} or {@code Event.Fault} takes {@code ns} (none unless set). */
    public FakeDeviceContext withTime(Class<? extends Event> operation, long ns) {
        if (operation != Event.Pin.class && operation != Event.Release.class && operation != Event.Fault.class) {
            throw new IllegalArgumentException(operation.getSimpleName() + " takes no time of its own");
        }
        times.put(operation, ns);
        return this;
    }

    /** The time of a step that starts no operation: {@code ns}, plus {@code perDmaPageNs} per page it moved. */
    public FakeDeviceContext withStepTime(long ns, long perDmaPageNs) {
        stepNs = ns;
        dmaPageNs = perDmaPageNs;
        return this;
    }

    /** RLIMIT_MEMLOCK in pages, for every later {@link #chargeLocked}; unlimited unless set. */
    public FakeDeviceContext withMemlockLimit(long pages) {
        memlockLimit = pages;
        return this;
    }

    /**
     * The {@code nth} call (from 1) of {@code Event.Pin} or {@code Event.Fault} fails with
     * {@code errno}: the pin maps nothing, the fault finds no frame.
     */
    public FakeDeviceContext fail(Class<? extends Event> operation, int nth, int errno) {
        if (operation != Event.Pin.class && operation != Event.Fault.class) {
            throw new IllegalArgumentException(operation.getSimpleName() + " cannot fail");
        }
        errors.computeIfAbsent(operation, k -> new HashMap<>()).put(nth, errno);
        return this;
    }

    /**
     * The {@code nth} pin call (from 1) maps only its first {@code pages} pages, as
     * {@code pin_user_pages_fast} returns fewer pages than asked when it stops part-way.
     */
    public FakeDeviceContext shortPin(int nth, int pages) {
        if (pages < 1) {
            throw new IllegalArgumentException("a short pin maps at least one page; fail() maps none");
        }
        shortPins.put(nth, pages);
        return this;
    }

    /** The next call of {@code Event.Pin} or {@code Event.Fault} fails with {@code errno}. */
    public FakeDeviceContext failNext(Class<? extends Event> operation, int errno) {
        return fail(operation, calls.getOrDefault(operation, 0) + 1, errno);
    }

    /**
     * The device's calls of {@code kind} (or of its subkinds: {@code Event.Dma.class}) throw
     * {@link UnsupportedOperationException}, for what a device must never do.
     */
    public FakeDeviceContext forbid(Class<? extends Event> kind, String why) {
        forbidden.put(kind, why);
        return this;
    }

    // ---- the kernel's side ----

    /** One device step at the time its sleep ends, then the completion of the operation it started. */
    public boolean step(Device device) {
        if (wakeAt >= 0) {
            now = wakeAt;
            wakeAt = -1;
        }
        operation = null;
        completion = null;
        dmaPages = 0;
        inStep = true;
        boolean more;
        try {
            more = device.step(this);
        } finally {
            inStep = false;
        }
        outcome = Outcome.NONE;
        if (completion == null) {
            now += stepNs + dmaPages * dmaPageNs;
        } else {
            completion.run();
        }
        ended |= !more;
        return more;
    }

    /** Steps until the device ends or its next step would come at {@code until} or later; true if it ended. */
    public boolean run(Device device, long until) {
        return run(device, until, Integer.MAX_VALUE);
    }

    /** As {@link #run(Device, long)}, for at most {@code maxSteps} steps. */
    public boolean run(Device device, long until, int maxSteps) {
        for (int steps = 0; !ended && nextStepAt() < until && steps < maxSteps; steps++) {
            step(device);
        }
        return ended;
    }

    /** The kernel wakes the device (a detach, a revoke): its sleep ends now. */
    public void wake() {
        wakeAt = -1;
    }

    /** The kernel asks for a live {@code map} back; if the device agrees, the map is revoked and the device woken. */
    public boolean revoke(Device device, DmaMap map) {
        FakeMap m = live(map);
        boolean yes = device.revoke(m);
        if (yes) {
            m.revoke();
            wake();
        }
        return yes;
    }

    /**
     * An MMU notifier invalidation of pages [{@code from}, {@code to}) of a watched buffer.
     *
     * @return the frames the device reported dirty, which are also recorded as {@link Event.SetPageDirty}
     */
    public List<Integer> invalidate(Device device, UserBuffer buffer, int from, int to, boolean unmap) {
        if (!watched.contains(buffer)) {
            throw new IllegalArgumentException("invalidation of " + buffer.name() + ", which the device never watched");
        }
        List<Integer> dirtied = new ArrayList<>();
        device.invalidate(new Notice(buffer, from, to, unmap, pfn -> {
            dirtied.add(pfn);
            events.add(new Event.SetPageDirty(now, pfn));
        }));
        return dirtied;
    }

    /** Page {@code page} of {@code buffer} now sits in frame {@code pfn} (migrated, or reclaimed and faulted back). */
    public void moveFrame(UserBuffer buffer, int page, int pfn) {
        moved.put(buffer.name() + ":" + page, pfn);
    }

    /** The frame page {@code page} of {@code buffer} sits in now. */
    public int pfnOf(UserBuffer buffer, int page) {
        Integer m = moved.get(buffer.name() + ":" + page);
        return m != null ? m : 1000 * (buffers.indexOf(buffer) + 1) + page;
    }

    // ---- what the device did ----

    /** Every call recorded so far, oldest first (a live, read-only view). */
    public List<Event> events() {
        return Collections.unmodifiableList(events);
    }

    /** The events of one kind ({@code Event.Pin.class}, or {@code Event.Dma.class} for both directions). */
    public <T extends Event> List<T> events(Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** The events of one kind as their {@linkplain Event#line lines}. */
    public List<String> lines(Class<? extends Event> kind) {
        return events(kind).stream().map(Event::line).toList();
    }

    /** The device's log lines; a WARN reads {@code WARN function: message}. */
    public List<String> dmesg() {
        return Collections.unmodifiableList(dmesg);
    }

    /** Pages charged against RLIMIT_MEMLOCK ({@code mm->pinned_vm}). */
    public long pinnedVm() {
        return pinnedVm;
    }

    /** The mapping the latest successful pin made, live or released since, or null. */
    public FakeMap lastMapped() {
        return lastMapped;
    }

    /** The most mappings that were live at once. */
    public int maxLive() {
        return maxLive;
    }

    /** Whether a step returned false. */
    public boolean ended() {
        return ended;
    }

    /** Whether the device is in a sleep that has not ended yet. */
    public boolean sleeping() {
        return wakeAt >= 0;
    }

    private long nextStepAt() {
        return wakeAt >= 0 ? wakeAt : now;
    }

    private void check(Class<? extends Event> kind) {
        forbidden.forEach((k, why) -> {
            if (k.isAssignableFrom(kind)) {
                throw new UnsupportedOperationException(kind.getSimpleName() + " is forbidden here: " + why);
            }
        });
    }

    /** Counts a call of {@code operation}; the errno a test set for it, or 0. */
    private int nextCall(Class<? extends Event> operation) {
        int nth = calls.merge(operation, 1, Integer::sum);
        return errors.getOrDefault(operation, Map.of()).getOrDefault(nth, 0);
    }

    private long timeOf(Class<? extends Event> operation) {
        return times.getOrDefault(operation, 0L);
    }

    private void start(String op, Runnable done) {
        if (!inStep) {
            throw new IllegalStateException(op + " outside a step");
        }
        if (operation != null) {
            throw new IllegalStateException("two operations in one step: " + operation + " then " + op);
        }
        operation = op;
        completion = done;
    }

    private FakeMap live(DmaMap map) {
        if (!(map instanceof FakeMap m) || !live.contains(m)) {
            throw new IllegalArgumentException(map + " is not live");
        }
        return m;
    }

    private FakeMap live(DmaMap map, int i) {
        FakeMap m = live(map);
        if (i < 0 || i >= m.pages()) {
            throw new IllegalArgumentException("page " + i + " outside " + m);
        }
        return m;
    }

    private void inside(UserBuffer buffer, int first, int count) {
        if (!buffers.contains(buffer) || first < 0 || count < 1 || first + count > buffer.pages()) {
            throw new IllegalArgumentException("pages [" + first + ", " + (first + count) + ") outside " + buffer);
        }
    }

    // ---- DeviceContext ----

    @Override
    public String name() {
        return name;
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
        return List.copyOf(live);
    }

    @Override
    public long cost(String key) {
        Long ns = costs.get(key);
        if (ns == null) {
            throw new IllegalArgumentException("no cost '" + key + "' set for this test");
        }
        return ns;
    }

    @Override
    public void pin(UserBuffer buffer, int first, int count, boolean write, boolean longterm) {
        pin(buffer, first, count, write, longterm, false);
    }

    @Override
    public void pinFast(UserBuffer buffer, int first, int count, boolean write, boolean longterm) {
        pin(buffer, first, count, write, longterm, true);
    }

    private void pin(UserBuffer buffer, int first, int count, boolean write, boolean longterm, boolean fast) {
        check(Event.Pin.class);
        inside(buffer, first, count);
        int errno = nextCall(Event.Pin.class);
        int got = Math.min(count, shortPins.getOrDefault(calls.get(Event.Pin.class), count));
        FakeMap map = new FakeMap(buffer, first, got, write, longterm);
        start("pin", () -> {
            now += timeOf(Event.Pin.class);
            if (errno != 0) {
                outcome = new Outcome(errno, null, -1);
                return;
            }
            int[] pfns = new int[got];
            for (int i = 0; i < got; i++) {
                pfns[i] = pfnOf(buffer, first + i);
            }
            map.mapped(now, pfns);
            live.add(map);
            maxLive = Math.max(maxLive, live.size());
            lastMapped = map;
            outcome = new Outcome(0, map, -1);
        });
        events.add(new Event.Pin(now, map, fast));
    }

    @Override
    public void release(DmaMap map, boolean dirty) {
        check(Event.Release.class);
        FakeMap m = live(map);
        start("release", () -> {
            now += timeOf(Event.Release.class);
            m.released();
            live.remove(m);
        });
        events.add(new Event.Release(now, m, dirty));
    }

    @Override
    public void fault(UserBuffer buffer, int page, boolean write) {
        check(Event.Fault.class);
        inside(buffer, page, 1);
        if (!watched.contains(buffer)) {
            throw new IllegalArgumentException("fault of " + buffer.name() + ", which the device does not watch");
        }
        int errno = nextCall(Event.Fault.class);
        start("fault", () -> {
            now += timeOf(Event.Fault.class);
            outcome = errno != 0 ? new Outcome(errno, null, -1) : new Outcome(0, null, pfnOf(buffer, page));
        });
        events.add(new Event.Fault(now, buffer, page, write));
    }

    @Override
    public void sleep(long ns) {
        check(Event.Sleep.class);
        if (ns < 0) {
            throw new IllegalArgumentException("sleep of " + ns + " ns");
        }
        start("sleep", () -> wakeAt = now + ns);
        events.add(new Event.Sleep(now, ns));
    }

    @Override
    public int error() {
        return outcome.error();
    }

    /** The user calls the device said failed, as "call result", in order. */
    public final List<String> returned = new ArrayList<>();

    @Override
    public void returned(String call, int result) {
        if (result < 0) {
            returned.add(call + " " + result);
        }
    }

    @Override
    public DmaMap mapped() {
        return outcome.mapped();
    }

    @Override
    public int faulted() {
        return outcome.faulted();
    }

    @Override
    public void deviceWrite(DmaMap map, int i) {
        dma(map, i, true);
    }

    @Override
    public void deviceRead(DmaMap map, int i) {
        dma(map, i, false);
    }

    private void dma(DmaMap map, int i, boolean write) {
        check(write ? Event.DmaWrite.class : Event.DmaRead.class);
        FakeMap m = live(map, i);
        dmaPages++;
        int page = m.first() + i;
        events.add(write ? new Event.DmaWrite(now, m, page, m.pfn(i)) : new Event.DmaRead(now, m, page, m.pfn(i)));
    }

    @Override
    public void deviceWriteFrame(int pfn) {
        check(Event.WriteFrame.class);
        events.add(new Event.WriteFrame(now, pfn));
    }

    @Override
    public void watch(UserBuffer buffer) {
        check(Event.Watch.class);
        if (!buffers.contains(buffer)) {
            throw new IllegalArgumentException("watch of " + buffer + ", which is not the device's");
        }
        watched.add(buffer);
        events.add(new Event.Watch(now, buffer));
    }

    @Override
    public int chargeLocked(UserBuffer buffer, int pages) {
        check(Event.Charge.class);
        if (pages > 0 && pinnedVm + pages > memlockLimit) {
            events.add(new Event.Charge(now, buffer, pages, true));
            return Errno.ENOMEM.negative();
        }
        if (pinnedVm + pages < 0) {
            throw new IllegalStateException("uncharge of " + -pages + " pages with " + pinnedVm + " charged");
        }
        pinnedVm += pages;
        events.add(new Event.Charge(now, buffer, pages, false));
        return 0;
    }

    @Override
    public void log(String message) {
        dmesg.add(message);
    }

    @Override
    public void warn(String function, String message) {
        log("WARN " + function + ": " + message);
    }

    /** What the previous step's operation came to, for {@link #error}, {@link #mapped} and {@link #faulted}. */
    private record Outcome(int error, DmaMap mapped, int faulted) {
        static final Outcome NONE = new Outcome(0, null, -1);
    }

    /** One invalidation as the device sees it; its dirty reports go to {@code dirtied}. */
    private record Notice(UserBuffer buffer, int from, int to, boolean unmap, IntConsumer dirtied)
            implements Invalidation {
        @Override
        public void setPageDirty(int pfn) {
            dirtied.accept(pfn);
        }
    }

    /** SplitMix64: a fixed stream per seed, as the kernel's split of the run's seed is. */
    private static final class SplitMix64 implements RandomGenerator {
        private long state;

        SplitMix64(long seed) {
            state = seed;
        }

        @Override
        public long nextLong() {
            long z = state += 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
