package org.pinlab.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.SyscallResult;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.api.mm.PhysicalMemory;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.fs.writeback.Flusher;
import org.pinlab.kernel.internal.fs.writeback.SyncAll;
import org.pinlab.kernel.internal.mm.vmscan.Kswapd;
import org.pinlab.sim.Engine;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Scheduler;
import org.pinlab.sim.Schedulers;

/**
 * One simulated computer: its frames, kernel threads, filesystems, processes and devices,
 * driven by one deterministic {@link Engine}. Single-threaded; run many machines in
 * parallel for throughput, never one machine on many threads.
 */
public final class Machine {

    private final Engine engine;
    private final Kernel kernel;
    private final Meter meter;
    private boolean finished;
    /** Devices attached through {@link Workload#device}, by name, so a driver that returns can attach them again. */
    final Map<String, Attached> attached = new LinkedHashMap<>();

    record Attached(Map<String, String> params, List<org.pinlab.api.device.UserBuffer> buffers) {
    }

    private Machine(Builder b) {
        Scheduler scheduler = b.scheduler != null ? b.scheduler : Schedulers.random(b.seed);
        this.engine = new Engine(b.seed, scheduler, b.engineConfig);
        this.meter = b.meter;
        if (meter != null) {
            meter.machineEnded(); // whatever machine it served before is gone
        }
        PhysicalMemory phys = metered(PageAllocator.class, b.allocator).create(b.layout);
        this.kernel = new Kernel(engine, b.costs, phys, b.lockdep, meter != null ? meter.choices(b.choices) : b.choices);
        if (b.pinTracker != null) {
            kernel.usePinTracker(metered(PinTracker.class, b.pinTracker));
        }
        engine.spawnDaemon("kswapd0", new Kswapd(kernel.vmscan), 0);
        engine.spawnDaemon("kworker/u8:flush-259:0", new Flusher(kernel.fsWriteback), 0);
    }

    /** {@code implementation}, counted by this machine's meter if it has one. */
    <T extends Pluggable> T metered(Class<T> type, T implementation) {
        return meter != null ? meter.wrap(type, implementation, implementation) : implementation;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Engine engine() {
        return engine;
    }

    static {
        MachineKernel.expose(m -> m.kernel); // the bundle's own way in; see MachineKernel
    }

    /** The kernel, for {@link Workload} in this package. */
    Kernel kernel() {
        return kernel;
    }

    /** Sets up mounts, processes, devices and programs on this machine. */
    public Workload workload() {
        return new Workload(this);
    }

    /** Runs until simulated time {@code ns}, or a machine-stopping finding. */
    public Machine runUntil(long ns) {
        engine.runUntil(ns);
        return this;
    }

    /**
     * Ends the run as a clean shutdown would: {@code sync} every filesystem, wait for the
     * I/O, then check that every write reached its disk (the lost-write oracle). Call once.
     */
    public List<Finding> finish() {
        if (!finished && !engine.stopped()) {
            finished = true;
            kernel.beginShutdown();
            runWhileLive(); // processes exit at their next loop head
            if (engine.stopped()) {
                return engine.findings();
            }
            engine.spawn("sync", new SyncAll(kernel.fsWriteback), 0);
            runWhileLive();
            if (!engine.stopped() && engine.liveTasks() == 0) {
                kernel.oracles.checkPinLeaks();
                kernel.oracles.checkLostWrites();
            }
        }
        return engine.findings();
    }

    /** Steps until no non-daemon task is left, bounded by an hour of simulated time. */
    private void runWhileLive() {
        long deadline = engine.now() + 3_600_000_000_000L;
        while (!engine.stopped() && engine.liveTasks() > 0 && engine.now() < deadline && engine.step()) {
            // stepping
        }
    }

    /** What the run measured so far. */
    public RunStats stats() {
        return RunStats.of(kernel);
    }

    /** The kernel log ({@code dmesg}), oldest first. */
    public List<String> dmesg() {
        return kernel.printk.dmesg();
    }

    public List<Finding> findings() {
        return engine.findings();
    }

    /**
     * Every error a modelled system call returned to a program so far ({@code ftruncate},
     * {@code fallocate}, {@code fsync}, and the calls drivers report, such as
     * {@code ibv_reg_mr}), once per task, call and errno, in the order they first happened.
     */
    public List<SyscallResult> syscallErrors() {
        return kernel.metrics.syscallErrors();
    }

    public long traceHash() {
        return engine.traceHash();
    }

    /** Frames by state, pin counters and what is outstanding, now. O(frames). */
    public Gauges gauges() {
        return Gauges.of(kernel, engine.findings().size());
    }

    /** Every outstanding GUP grab, oldest first: who holds which frames, how, since when. */
    public List<PinRecord> outstandingPins() {
        return kernel.pins.hasTracker() ? List.copyOf(kernel.pins.accounting().outstanding()) : List.of();
    }

    /** The {@code /proc/vmstat} counters the model keeps, by their kernel names, in the kernel's order. */
    public Map<String, Long> vmstat() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Vmstat v : Vmstat.values()) {
            out.put(v.key(), kernel.vm.vmstat(v));
        }
        return out;
    }

    /** The names of the devices attached now (a detached one drops out once it has released everything). */
    public List<String> devices() {
        return kernel.devices.list().stream().map(d -> d.name()).toList();
    }

    /** Builds a machine; every setting has a default. */
    public static final class Builder {
        private long seed;
        private MemoryLayout layout = MemoryLayout.normalOnly(16_384);
        private Scheduler scheduler;
        private CostTable costs = CostTable.defaults();
        private EngineConfig engineConfig = EngineConfig.DEFAULT.withRaceWindow(1_000);
        private PageAllocator allocator;
        private boolean lockdep = true;
        private PinTracker pinTracker;
        private Choices choices = Choices.kernelDefaults();
        private Meter meter;

        private Builder() {
        }

        /** The pin accounting layout (the {@code merged}, {@code foll-pin-2019} or {@code rfc-2019} service); fixed for the machine's life. */
        public Builder pinTracker(PinTracker tracker) {
            this.pinTracker = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /** The policy implementations: fixed for a batch run, a lab view for a live one. */
        public Builder choices(Choices choices) {
            this.choices = Objects.requireNonNull(choices, "choices");
            return this;
        }

        /** Counts the calls into every implementation this machine uses (off by default; see {@link Meter}). */
        public Builder meter(Meter meter) {
            this.meter = Objects.requireNonNull(meter, "meter");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder memory(MemoryLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /** The scheduler; by default a random one seeded with the machine's seed. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder costs(CostTable costs) {
            this.costs = Objects.requireNonNull(costs, "costs");
            return this;
        }

        public Builder engine(EngineConfig config) {
            this.engineConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The page allocator service to use (the {@code buddy} service in Karaf). */
        public Builder allocator(PageAllocator allocator) {
            this.allocator = Objects.requireNonNull(allocator, "allocator");
            return this;
        }

        /** Whether the lock validator runs (on by default; off for throughput benchmarks). */
        public Builder lockdep(boolean on) {
            this.lockdep = on;
            return this;
        }

        public Machine build() {
            if (allocator == null) {
                throw new IllegalStateException("no page allocator: call allocator(...) with a PageAllocator");
            }
            return new Machine(this);
        }
    }
}
