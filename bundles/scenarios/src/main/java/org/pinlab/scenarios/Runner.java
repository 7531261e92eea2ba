package org.pinlab.scenarios;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.Meter;
import org.pinlab.kernel.PagemapReader;
import org.pinlab.kernel.Workload;
import org.pinlab.scenarios.Scenario.BufferSpec;
import org.pinlab.scenarios.Scenario.DeviceSpec;
import org.pinlab.scenarios.Scenario.EventSpec;
import org.pinlab.scenarios.Scenario.FileSpec;
import org.pinlab.scenarios.Scenario.FsSpec;
import org.pinlab.scenarios.Scenario.MappingSpec;
import org.pinlab.scenarios.Scenario.ProcessSpec;
import org.pinlab.scenarios.Scenario.ProgramSpec;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Scheduler;
import org.pinlab.sim.StepListener;

/** Builds a machine from a scenario and a combination, runs it, and reports. Plain Java. */
public final class Runner {

    private final Implementations impls;
    private final Meter meter;

    public Runner(Implementations impls) {
        this(impls, null);
    }

    /**
     * A runner whose machines count their calls into every implementation in {@code meter}
     * (null: no counting). A meter serves one machine at a time: run such a runner's runs one
     * after another.
     */
    public Runner(Implementations impls, Meter meter) {
        this.impls = impls;
        this.meter = meter;
    }

    /** A setup step refused its input; {@link #spec} is the part of the scenario at fault. */
    static final class SetupException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Object spec;

        SetupException(Object spec, String message) {
            super(message);
            this.spec = spec;
        }

        Object spec() {
            return spec;
        }
    }

    /** Runs one seed under {@code scheduler}, from set-up to the final sync and its oracles. */
    public RunResult run(Scenario s, String combination, long seed, Scheduler scheduler) {
        return run(s, combination, seed, scheduler, null);
    }

    /** As {@link #run(Scenario, String, long, Scheduler)}, with a listener that sees every step. */
    public RunResult run(Scenario s, String combination, long seed, Scheduler scheduler, StepListener listener) {
        if (!s.combinations().containsKey(combination)) {
            throw new IllegalArgumentException("scenario " + s.name() + " has no combination '" + combination
                    + "'; combinations: " + String.join(", ", s.combinations().keySet()));
        }
        Machine m = setUp(s.forCombination(combination), s.combinations().get(combination), seed, impls, scheduler,
                null, meter);
        if (listener != null) {
            m.engine().addListener(listener);
        }
        m.runUntil(s.durationNs());
        m.finish();
        return new RunResult(s.name(), combination, seed, scheduler.describe(), List.copyOf(m.findings()),
                m.engine().schedule(), m.traceHash(), m.engine().steps(), m.stats(), m.dmesg(), m.syscallErrors());
    }

    /** The implementation of every family a machine decides with while it runs, as {@code c} names them. */
    static Map<Family<?>, Pluggable> decisions(Map<String, String> c, Implementations impls) {
        Map<Family<?>, Pluggable> out = new HashMap<>();
        for (Family<?> f : Families.swappedAt(Family.Swap.NEXT_DECISION)) {
            out.put(f, impls.get(f, c.get(f.name())));
        }
        return out;
    }

    /**
     * What a run is made of besides its seed and schedule, one {@code key=value} per line,
     * sorted: the implementation of every family the machine uses with the version of the
     * bundle that registered it ({@code name@version}; {@code @} alone for one added without
     * a version, {@code @built-in} for the kernel's own behaviour), and every other setting of
     * the combination. Folded into the trace hash before the first step, so two runs that
     * differ in any choice or version never share a hash, even where the choice changes no
     * step.
     */
    static String identity(Scenario s, Map<String, String> c, Implementations impls, Choices choices) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Family<?> f : Families.swappedAt(Family.Swap.NEXT_BOOT)) {
            out.put(f.name(), versioned(impls, f, c.get(f.name())));
        }
        for (Family<?> f : Families.swappedAt(Family.Swap.NEXT_DECISION)) {
            out.put(f.name(), versioned(impls, f, choices.get(f).name()));
        }
        for (FsSpec f : s.filesystems()) {
            out.put(Families.FILESYSTEM.name() + " " + f.mount(), versioned(impls, Families.FILESYSTEM, f.type()));
        }
        for (DeviceSpec d : s.devices()) {
            out.put(Families.DEVICE.name() + " " + d.name(), versioned(impls, Families.DEVICE, d.type()));
        }
        for (Map.Entry<String, String> e : c.entrySet()) {
            out.putIfAbsent(e.getKey(), e.getValue());
        }
        StringBuilder b = new StringBuilder();
        out.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    private static String versioned(Implementations impls, Family<?> f, String name) {
        return name + "@" + (impls.has(f, name) ? impls.version(f, name) : "built-in");
    }

    /** FNV-1a over the UTF-8 bytes: a digest that is the same on every JVM. */
    static long digest(String text) {
        long h = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }

    static Machine setUp(Scenario s, String combination, long seed, Implementations impls, Scheduler scheduler) {
        return setUp(s.forCombination(combination), s.combinations().get(combination), seed, impls, scheduler, null,
                null);
    }

    /**
     * Builds the machine of a scenario. {@code c} names the implementation per family;
     * {@code live}, if not null, replaces the policy families with choices that may change
     * while the machine runs (a live workload following the lab); {@code meter}, if not null,
     * counts the machine's calls into every implementation.
     */
    static Machine setUp(Scenario s, Map<String, String> c, long seed, Implementations impls, Scheduler scheduler,
                         Choices live, Meter meter) {
        Choices choices = live != null ? live : Choices.fixed(decisions(c, impls));
        Scenario.MachineSpec ms = s.machine();
        Machine.Builder builder = Machine.builder();
        if (meter != null) {
            builder.meter(meter);
        }
        Machine m = builder.seed(seed).scheduler(scheduler)
                .memory(new MemoryLayout(ms.normalPages(), ms.movablePages(), 10, 20, 30))
                .costs(CostTable.defaults().with(ms.costs()))
                .engine(EngineConfig.DEFAULT.withRaceWindow(ms.raceWindowNs()).withHungTask(ms.hungTaskNs())
                        .withMaxSteps(ms.maxSteps()))
                .allocator(impls.get(Families.ALLOCATOR, c.get(Families.ALLOCATOR.name())))
                .pinTracker(impls.get(Families.PIN_LAYOUT, c.get(Families.PIN_LAYOUT.name())))
                .choices(choices).lockdep(ms.lockdep()).build();
        m.engine().mix(digest(identity(s, c, impls, choices)));
        Workload w = m.workload();
        Map<String, Workload.Fs> mounts = new HashMap<>();
        for (FsSpec f : s.filesystems()) {
            try {
                mounts.put(f.mount(), w.mount(f.mount(), impls.get(Families.FILESYSTEM, f.type()), f.options(), f.blocks(),
                        f.stableWrites()));
            } catch (IllegalArgumentException e) {
                throw new SetupException(f, "cannot mount " + f.type() + " at " + f.mount() + ": " + e.getMessage());
            }
        }
        Map<String, Workload.File> files = new HashMap<>();
        for (FileSpec f : s.files()) {
            files.put(f.name(), w.file(mounts.get(f.mount()), f.name(), f.pages()));
        }
        Map<String, Workload.Process> procs = new HashMap<>();
        Map<String, Workload.Mapping> maps = new HashMap<>();
        for (ProcessSpec p : s.processes()) {
            Workload.Process proc = w.process(p.name(), p.memlockPages());
            procs.put(p.name(), proc);
            for (MappingSpec ms2 : p.mappings()) {
                try {
                    maps.put(p.name() + "." + ms2.name(), ms2.anonymous() ? w.mapAnon(proc, ms2.pages(), ms2.thp())
                            : w.mapShared(proc, files.get(ms2.file()), ms2.pages()));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new SetupException(ms2, "cannot map " + ms2.name() + ": " + e.getMessage());
                }
            }
        }
        for (DeviceSpec d : s.devices()) {
            List<UserBuffer> buffers = new ArrayList<>();
            for (BufferSpec b : d.buffers()) {
                for (String name : b.names()) {
                    buffers.add(w.buffer(name, maps.get(b.process() + "." + b.mapping()), b.offset(), b.pages()));
                }
            }
            if (live != null && !impls.has(Families.DEVICE, d.type())) {
                // a live machine boots without a driver that is not loaded, and binds it when it comes
                w.deviceWithoutDriver(d.name(), d.params(), buffers);
                continue;
            }
            try {
                w.device(impls.get(Families.DEVICE, d.type()), d.name(), d.params(), buffers);
            } catch (IllegalArgumentException e) {
                throw new SetupException(d, "device " + d.name() + ": " + e.getMessage());
            }
        }
        PagemapReader pagemap = PagemapReader.valueOf(c.getOrDefault(Scenario.PAGEMAP_READ, "fixed")
                .toUpperCase(java.util.Locale.ROOT));
        for (ProgramSpec p : s.programs()) {
            String task = p.process() + "/" + p.kind();
            switch (p.kind()) {
                case "writer":
                    w.writer(task, maps.get(p.process() + "." + p.mapping()), p.storePct(), p.loadPct(), p.fsyncPct(),
                            p.truncatePct(), p.writePct(), p.thinkNs(), p.startNs());
                    break;
                case "hog":
                    w.hog(task, procs.get(p.process()), p.pages(), p.holdNs(), p.startNs());
                    break;
                case "mapper":
                    w.mapper(task, procs.get(p.process()), p.pages(), p.thinkNs(), p.startNs());
                    break;
                case "pagemap":
                    w.pagemapReader(task, procs.get(p.process()), procs.get(p.target()), p.pages(), pagemap,
                            p.thinkNs(), p.startNs());
                    break;
                default:
                    throw new IllegalStateException("unknown program kind " + p.kind());
            }
        }
        for (EventSpec e : s.events()) {
            switch (e.kind()) {
                case "truncate" -> w.truncate(files.get(e.file()), e.from(), e.atNs());
                case "punch-hole" -> w.punchHole(files.get(e.file()), e.from(), e.to(), e.atNs());
                case "madvise-dontneed" -> w.madviseDontneed(maps.get(e.file()), e.from(), e.to(), e.atNs());
                case "madvise-hwpoison" -> w.madviseHwpoison(maps.get(e.file()), e.from(), e.to(), e.atNs());
                default -> throw new IllegalStateException("unknown event kind " + e.kind());
            }
        }
        return m;
    }
}
