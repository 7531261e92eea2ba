package org.pinlab.scenarios;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.pinlab.api.device.DeviceType;
import org.pinlab.api.families.Families;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Gauges;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.Meter;
import org.pinlab.kernel.Workload;
import org.pinlab.sim.Schedulers;

/**
 * A continuous workload: one scenario's machine, booted again and again on its own thread,
 * each boot with the next seed, following {@link Choices} that may change while it runs.
 * A boot ends at the scenario's duration (with the usual sync and oracles), at a finding
 * that stops the machine (a BUG), or when a filesystem type it mounts goes away (the
 * filesystem is synced and the machine shut down cleanly, so nothing leaks). A device
 * whose driver goes away is detached (it releases its pins) and attached again when the
 * driver returns. Findings and counters add up across boots.
 *
 * <p>Not deterministic as a whole (a swap lands at whatever step the machine has reached),
 * but every boot is a seeded run; a boot during which nothing changed replays with
 * {@code run} under the same seed and choices.
 */
public final class LiveRun {

    /** What the live machine is doing. */
    public enum State { RUNNING, WAITING, STOPPED, FAILED }

    /**
     * One finding of the live run.
     *
     * @param boot    the boot it happened in (1-based)
     * @param seed    that boot's seed
     * @param choices the policy in force per family when it was raised
     */
    public record LiveFinding(int boot, long seed, Finding finding, Map<String, String> choices) {
    }

    /**
     * One finished boot.
     *
     * @param choicesAtEnd    the policy per family when it ended
     * @param swaps           how many times the choices changed during it
     * @param dmaMibPerSecond DMA write throughput in MiB per simulated second
     * @param ended           why it ended
     */
    public record Boot(int boot, long seed, long simulatedNs, long steps, int findings, Map<String, String> choicesAtEnd,
                       int swaps, double dmaMibPerSecond, String ended) {
    }

    /**
     * A snapshot of the live run, published by its thread after every slice.
     *
     * @param waitingFor       what a WAITING or FAILED run is waiting for or died of
     * @param gauges           the current machine's gauges (null before the first boot)
     * @param choices          the policy per family in force now
     * @param machineFamilies  allocator and pin layout (fixed per boot)
     * @param byKind           findings by kind over every boot
     * @param unbalanced       slices after which the pin counters disagreed with the tracker, plus clean boot
     *                         ends that left a pin or a count behind (must stay 0)
     * @param pinsLostInCrashes FOLL_PIN pages still held when a finding stopped a machine (a BUG): a
     *                         crashed machine releases nothing, so acquired = released + this
     * @param devices          the devices attached now, and the ones waiting for their driver
     */
    public record Status(String scenario, String combination, State state, String waitingFor, int boots, long seed,
                         long totalSimulatedNs, long totalSteps, Gauges gauges, Map<String, String> choices,
                         Map<String, String> machineFamilies, Map<FindingKind, Integer> byKind, int findings,
                         long unbalanced, long pinsAcquired, long pinsReleased, long pinsLostInCrashes,
                         List<String> devices,
                         List<String> detached) {
    }

    /** How much simulated time runs between two snapshots. */
    static final long SLICE_NS = 1_000_000;
    private static final int KEEP_FINDINGS = 500;
    private static final int KEEP_BOOTS = 200;
    private static final long WAIT_POLL_MS = 50;

    private final Scenario scenario;
    private final String combination;
    private final Supplier<Map<String, String>> bootFamilies;
    /** The families the current (or last) boot took; written by the machine thread. */
    private volatile Map<String, String> families;
    private final Supplier<Implementations> implementations;
    private final Choices choices;
    private final long firstSeed;

    private final Object lock = new Object();
    private final Deque<LiveFinding> findings = new ArrayDeque<>();
    private final Deque<Boot> boots = new ArrayDeque<>();
    private final Map<FindingKind, Integer> byKind = new EnumMap<>(FindingKind.class);
    private final Map<FindingKind, LiveFinding> latest = new EnumMap<>(FindingKind.class);
    private int totalFindings;

    private volatile boolean stopRequested;
    private volatile boolean implementationsChanged = true;
    private volatile Status status;
    private volatile List<PinRecord> pins = List.of();
    /** Counts every boot's calls into each implementation; used on the machine thread only. */
    private final Meter meter = new Meter();
    private volatile List<Meter.Count> counts = List.of();
    private Thread thread;

    // machine-thread state
    private long totalSimNs;
    private long totalSteps;
    private long pinsAcquired;
    private long pinsReleased;
    private long pinsLostInCrashes;
    private long unbalanced;

    /**
     * @param families        the implementation per family for what is fixed per boot (allocator,
     *                        pin layout); the policy families come from {@code choices}
     * @param implementations the implementations available now; asked again after
     *                        {@link #implementationsChanged()}
     */
    public LiveRun(Scenario scenario, String combination, Map<String, String> families,
                   Supplier<Implementations> implementations, Choices choices, long firstSeed) {
        this(scenario, combination, () -> families, implementations, choices, firstSeed);
    }

    /**
     * A live run whose every boot asks {@code bootFamilies} for the implementation per family
     * fixed for a boot (allocator, pin layout, and the combination's other settings): a swap of
     * the allocator or the pin layout takes effect at the next boot.
     */
    public LiveRun(Scenario scenario, String combination, Supplier<Map<String, String>> bootFamilies,
                   Supplier<Implementations> implementations, Choices choices, long firstSeed) {
        this.scenario = Objects.requireNonNull(scenario).forCombination(combination);
        this.combination = combination;
        this.bootFamilies = Objects.requireNonNull(bootFamilies);
        this.families = Map.copyOf(bootFamilies.get());
        this.implementations = implementations;
        this.choices = choices;
        this.firstSeed = firstSeed;
        this.status = new Status(scenario.name(), combination, State.WAITING, "starting", 0, firstSeed, 0, 0, null,
                names(choices), machineFamilies(), Map.of(), 0, 0, 0, 0, 0, List.of(), List.of());
    }

    /** Starts the machine thread. */
    public synchronized LiveRun start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::loop, "pinlab-live-" + scenario.name());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Stops at the next slice: the current boot shuts down cleanly (sync, every pin released,
     * the oracles run). Waits up to {@code timeoutMillis} for that.
     *
     * @return true if the thread ended in time
     */
    public boolean stop(long timeoutMillis) throws InterruptedException {
        stopRequested = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return true;
        }
        t.join(timeoutMillis);
        return !t.isAlive();
    }

    /** Services came or went: the machine thread looks again at its next slice. */
    public void implementationsChanged() {
        implementationsChanged = true;
    }

    public Status status() {
        return status;
    }

    /** The outstanding GUP grabs of the current boot, as of the last slice. */
    public List<PinRecord> pins() {
        return pins;
    }

    /**
     * Per implementation the run has reached: its calls and failed calls over every boot
     * since {@link #start}, and the pages it holds now (as of the last slice).
     */
    public List<Meter.Count> counts() {
        return counts;
    }

    /** The most recent findings, oldest first (at most {@value #KEEP_FINDINGS}). */
    public List<LiveFinding> findings() {
        synchronized (lock) {
            return List.copyOf(findings);
        }
    }

    /** The latest finding of each kind, over every boot, in the kinds' order. */
    public Map<FindingKind, LiveFinding> latestByKind() {
        synchronized (lock) {
            return new EnumMap<>(latest);
        }
    }

    /** The most recent finished boots, oldest first. */
    public List<Boot> boots() {
        synchronized (lock) {
            return List.copyOf(boots);
        }
    }

    public Scenario scenario() {
        return scenario;
    }

    // ---- the machine thread ------------------------------------------------------------

    private void loop() {
        long seed = firstSeed;
        int boot = 0;
        try {
            while (!stopRequested) {
                Implementations impls = implementations.get();
                implementationsChanged = false;
                String missing = missingFilesystem(impls);
                Map<String, String> next = Map.copyOf(bootFamilies.get());
                if (missing == null) {
                    missing = missingBootFamily(impls, next);
                }
                if (missing != null) {
                    publish(State.WAITING, missing, boot, seed, null, List.of(), List.of());
                    sleep();
                    continue;
                }
                boot++;
                families = next;
                runBoot(boot, seed, impls);
                seed++;
            }
            publish(State.STOPPED, boot == 0 ? "stopped before its first boot"
                    : "stopped; the figures are boot " + boot + "'s, as it ended", boot, seed, status.gauges(),
                    List.of(), List.of());
        } catch (RuntimeException | Error e) {
            publish(State.FAILED, e.toString(), boot, seed, status.gauges(), List.of(), List.of());
            throw e;
        }
    }

    private void runBoot(int boot, long seed, Implementations impls) {
        Machine m = Runner.setUp(scenario, families, seed, impls, Schedulers.random(seed), choices, meter);
        Workload w = m.workload();
        Map<String, DeviceType> bound = new HashMap<>();
        for (Scenario.DeviceSpec d : scenario.devices()) {
            if (impls.has(Families.DEVICE, d.type())) {
                bound.put(d.name(), impls.get(Families.DEVICE, d.type()));
            }
        }
        Map<String, FilesystemType> mounted = new HashMap<>();
        for (Scenario.FsSpec f : scenario.filesystems()) {
            mounted.put(f.type(), impls.get(Families.FILESYSTEM, f.type()));
        }
        Map<String, String> last = names(choices);
        int swaps = 0;
        int seen = 0;
        String ended = null;
        while (ended == null) {
            if (stopRequested) {
                ended = "stopped";
                m.finish();
            } else if (implementationsChanged) {
                implementationsChanged = false;
                Implementations now = implementations.get();
                String gone = filesystemGone(now, mounted);
                if (gone != null) {
                    // the filesystem's bundle stopped: write everything back and shut the machine down
                    ended = gone + " went away: synced and shut down";
                    m.finish();
                } else {
                    rebind(m, w, now, bound);
                }
            }
            if (ended == null) {
                bindWaiting(m, w, bound);
                m.runUntil(m.engine().now() + SLICE_NS);
                if (m.engine().stopped()) {
                    ended = "stopped by a finding";
                } else if (m.engine().now() >= scenario.durationNs()) {
                    m.finish();
                    ended = "end of the scenario's duration";
                } else if (m.engine().finished()) {
                    // no task ready and no timer pending: a slice with no step is not the end
                    m.finish();
                    ended = "nothing left to run";
                }
            }
            Map<String, String> current = names(choices);
            if (!current.equals(last)) {
                swaps++;
                last = current;
            }
            seen = collect(m, boot, seed, seen, current);
            Gauges g = m.gauges();
            boolean cleanEnd = ended != null && !m.engine().stopped();
            if (!g.consistent() || cleanEnd && (!g.balanced() || g.grabs() != 0 || g.pinsAcquired() != g.pinsReleased())) {
                unbalanced++;
            }
            pins = m.outstandingPins();
            if (ended != null) {
                meter.machineEnded(); // a finished boot holds nothing, whatever its devices last mapped
            }
            counts = List.copyOf(meter.counts());
            List<String> waiting = new ArrayList<>();
            for (Scenario.DeviceSpec d : scenario.devices()) {
                if (!bound.containsKey(d.name())) {
                    waiting.add(d.name() + " (no " + d.type() + " driver)");
                }
            }
            if (ended == null) {
                publish(State.RUNNING, null, boot, seed, g, m.devices(), waiting, m);
            } else {
                totalSimNs += m.engine().now();
                totalSteps += m.engine().steps();
                pinsAcquired += g.pinsAcquired();
                pinsReleased += g.pinsReleased();
                if (m.engine().stopped()) {
                    pinsLostInCrashes += g.pinsAcquired() - g.pinsReleased();
                }
                synchronized (lock) {
                    boots.addLast(new Boot(boot, seed, m.engine().now(), m.engine().steps(), seen, current, swaps,
                            m.stats().dmaMibPerSecond(), ended));
                    while (boots.size() > KEEP_BOOTS) {
                        boots.removeFirst();
                    }
                }
                // until the next boot's first slice, what is shown is this boot's end, and says so
                publish(State.RUNNING, "between boots; the figures are boot " + boot + "'s, as it ended (" + ended + ")",
                        boot, seed, g, m.devices(), waiting);
            }
        }
    }

    /** Detaches every device whose driver went away or was replaced. */
    private void rebind(Machine m, Workload w, Implementations now, Map<String, DeviceType> bound) {
        for (Scenario.DeviceSpec d : scenario.devices()) {
            DeviceType was = bound.get(d.name());
            DeviceType is = now.has(Families.DEVICE, d.type())
                    ? now.get(Families.DEVICE, d.type()) : null;
            if (was != null && was != is) {
                // the driver's ->remove: release (or revoke) everything, as the stopping bundle must
                if (m.devices().contains(d.name())) {
                    w.detachDevice(d.name());
                }
                bound.remove(d.name());
            }
        }
    }

    /** Attaches devices whose driver is back, once their old instance has released everything. */
    private void bindWaiting(Machine m, Workload w, Map<String, DeviceType> bound) {
        if (bound.size() == scenario.devices().size()) {
            return;
        }
        Implementations now = null;
        for (Scenario.DeviceSpec d : scenario.devices()) {
            if (bound.containsKey(d.name()) || m.devices().contains(d.name())) {
                continue;
            }
            if (now == null) {
                now = implementations.get();
            }
            if (now.has(Families.DEVICE, d.type())) {
                DeviceType type = now.get(Families.DEVICE, d.type());
                w.reattachDevice(d.name(), type);
                bound.put(d.name(), type);
            }
        }
    }

    private int collect(Machine m, int boot, long seed, int seen, Map<String, String> current) {
        List<Finding> all = m.findings();
        if (all.size() == seen) {
            return seen;
        }
        synchronized (lock) {
            for (int i = seen; i < all.size(); i++) {
                Finding f = all.get(i);
                LiveFinding lf = new LiveFinding(boot, seed, f, current);
                findings.addLast(lf);
                latest.put(f.kind(), lf);
                while (findings.size() > KEEP_FINDINGS) {
                    findings.removeFirst();
                }
                byKind.merge(f.kind(), 1, Integer::sum);
                totalFindings++;
            }
        }
        return all.size();
    }

    private String missingFilesystem(Implementations impls) {
        for (Scenario.FsSpec f : scenario.filesystems()) {
            if (!impls.has(Families.FILESYSTEM, f.type())) {
                return "filesystem type " + f.type() + " is not registered (is its bundle started?)";
            }
        }
        return null;
    }

    private static String missingBootFamily(Implementations impls, Map<String, String> next) {
        for (Family<?> f : Families.swappedAt(Family.Swap.NEXT_BOOT)) {
            String name = next.get(f.name());
            if (name != null && !impls.has(f, name)) {
                return f.name() + " '" + name + "' is not registered";
            }
        }
        return null;
    }

    private static String filesystemGone(Implementations now, Map<String, FilesystemType> mounted) {
        for (Map.Entry<String, FilesystemType> e : mounted.entrySet()) {
            if (!now.has(Families.FILESYSTEM, e.getKey())
                    || now.get(Families.FILESYSTEM, e.getKey()) != e.getValue()) {
                return "filesystem type " + e.getKey();
            }
        }
        return null;
    }

    private void publish(State state, String why, int boot, long seed, Gauges g, List<String> devices,
                         List<String> detached) {
        publish(state, why, boot, seed, g, devices, detached, null);
    }

    private void publish(State state, String why, int boot, long seed, Gauges g, List<String> devices,
                         List<String> detached, Machine running) {
        Map<FindingKind, Integer> kinds;
        int total;
        synchronized (lock) {
            kinds = new EnumMap<>(byKind);
            total = totalFindings;
        }
        long sim = totalSimNs + (running != null ? running.engine().now() : 0);
        long steps = totalSteps + (running != null ? running.engine().steps() : 0);
        long acquired = pinsAcquired + (running != null && g != null ? g.pinsAcquired() : 0);
        long released = pinsReleased + (running != null && g != null ? g.pinsReleased() : 0);
        status = new Status(scenario.name(), combination, state, why, boot, seed, sim, steps, g, names(choices),
                machineFamilies(), Collections.unmodifiableMap(kinds), total, unbalanced, acquired, released, pinsLostInCrashes,
                List.copyOf(devices),
                List.copyOf(detached));
    }

    /** The name in force per family fixed for a boot (allocator, pin layout), as the boot took it. */
    private Map<String, String> machineFamilies() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Family<?> f : Families.swappedAt(Family.Swap.NEXT_BOOT)) {
            out.put(f.name(), families.get(f.name()));
        }
        return out;
    }

    /** The name in force per family that machines follow live. */
    static Map<String, String> names(Choices c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Family<?> f : Families.swappedAt(Family.Swap.NEXT_DECISION)) {
            out.put(f.name(), c.get(f).name());
        }
        return out;
    }

    private void sleep() {
        try {
            Thread.sleep(WAIT_POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        }
    }
}
