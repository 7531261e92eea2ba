package org.pinlab.scenarios;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.pinlab.api.finding.FindingKind;

/**
 * A validated scenario: the machine, what runs on it, the strategy combinations to compare,
 * and the findings expected of each. Built by {@link ScenarioLoader}; see docs/scenarios.md
 * for the file format.
 */
public record Scenario(String name, String cites, String description, String source, MachineSpec machine,
                       List<FsSpec> filesystems, List<FileSpec> files, List<ProcessSpec> processes,
                       List<ProgramSpec> programs, List<DeviceSpec> devices, List<EventSpec> events,
                       long durationNs, Map<String, Map<String, String>> combinations,
                       Map<String, Expectation> expectations, int seeds, Map<String, Scenario> variants) {

    public Scenario {
        variants = Map.copyOf(variants);
    }

    /** A scenario whose combinations differ in their choices only. */
    public Scenario(String name, String cites, String description, String source, MachineSpec machine,
                    List<FsSpec> filesystems, List<FileSpec> files, List<ProcessSpec> processes,
                    List<ProgramSpec> programs, List<DeviceSpec> devices, List<EventSpec> events,
                    long durationNs, Map<String, Map<String, String>> combinations,
                    Map<String, Expectation> expectations, int seeds) {
        this(name, cites, description, source, machine, filesystems, files, processes, programs, devices, events,
                durationNs, combinations, expectations, seeds, Map.of());
    }

    /**
     * The scenario as {@code combination} runs it: this one, or with the machine settings,
     * devices, programs or events the combination overrides ({@code variants}, by combination).
     */
    public Scenario forCombination(String combination) {
        return variants.getOrDefault(combination, this);
    }

    /**
     * The combination key that picks the kernel's {@code pagemap_read} ({@code old} or
     * {@code fixed}) for every {@code pagemap} program: kernel code, not a service family.
     */
    public static final String PAGEMAP_READ = "pagemap-read";

    public record MachineSpec(long normalPages, long movablePages, long raceWindowNs, long hungTaskNs,
                              boolean lockdep, Map<String, Long> costs, long maxSteps) {
    }

    /**
     * A mount on its own disk; {@code stableWrites} is the disk's {@code queue/stable_writes}
     * ({@code bdev_stable_writes}: an NVMe namespace with protection information, NVMe-TCP with
     * data digest), YAML {@code stable-writes}.
     */
    public record FsSpec(String mount, String type, int blocks, Map<String, String> options, boolean stableWrites) {

        /** A mount on a disk without stable writes. */
        public FsSpec(String mount, String type, int blocks, Map<String, String> options) {
            this(mount, type, blocks, options, false);
        }
    }

    public record FileSpec(String name, String mount, int pages) {
    }

    public record MappingSpec(String name, String file, int pages, boolean thp) {
        public boolean anonymous() {
            return file == null;
        }
    }

    public record ProcessSpec(String name, long memlockPages, List<MappingSpec> mappings) {
    }

    /**
     * A user program in {@code process}: {@code writer} over a mapping (storing, loading, fsyncing,
     * truncating and writing with {@code pwrite(2)} in the given percentages), {@code hog},
     * {@code mapper}, or {@code pagemap} (a reader of {@code target}'s /proc/PID/pagemap).
     */
    public record ProgramSpec(String kind, String process, String mapping, String target, int storePct, int loadPct,
                              int fsyncPct, int truncatePct, long thinkNs, int pages, long holdNs, long startNs,
                              int writePct) {

        /** A program that does no {@code write(2)} ({@code writePct} 0). */
        public ProgramSpec(String kind, String process, String mapping, String target, int storePct, int loadPct,
                           int fsyncPct, int truncatePct, long thinkNs, int pages, long holdNs, long startNs) {
            this(kind, process, mapping, target, storePct, loadPct, fsyncPct, truncatePct, thinkNs, pages, holdNs,
                    startNs, 0);
        }
    }

    /** Pages of a mapping handed to a device, {@code count} times over (one registration each). */
    public record BufferSpec(String name, String process, String mapping, int offset, int pages, int count) {

        /** The buffers' names: {@code name} alone, or {@code name-0 .. name-(count-1)}. */
        public List<String> names() {
            if (count == 1) {
                return List.of(name);
            }
            String[] out = new String[count];
            for (int i = 0; i < count; i++) {
                out[i] = name + "-" + i;
            }
            return List.of(out);
        }
    }

    public record DeviceSpec(String name, String type, List<BufferSpec> buffers, Map<String, String> params) {
    }

    /**
     * A timed event: {@code truncate} of the file {@code file} (to {@code from} pages),
     * {@code punch-hole} of it over [from, to), or {@code madvise-dontneed} /
     * {@code madvise-hwpoison} ({@code MADV_DONTNEED}, {@code MADV_HWPOISON}) over pages
     * [from, to) of the mapping {@code file} names as {@code PROCESS.MAPPING}.
     */
    public record EventSpec(String kind, long atNs, String file, int from, int to) {
    }

    /**
     * What a combination must show over the scenario's seeds, read {@code on} them: every kind
     * in {@code findings} and every result in {@code results} on some seed ({@link On#SOME}, the
     * default), on every seed ({@link On#EVERY}) or on none ({@link On#NONE}). Under
     * {@code SOME} and {@code EVERY} no run may show a kind outside {@code findings} and
     * {@code allowed}; under {@code NONE} only the listed ones are ruled out. A system call
     * error no entry of {@code results} names is reported, never a violation.
     */
    public record Expectation(Set<FindingKind> findings, Set<FindingKind> allowed, List<ResultPattern> results,
                              On on) {

        public Expectation {
            findings = Set.copyOf(findings);
            allowed = Set.copyOf(allowed);
            results = List.copyOf(results);
            java.util.Objects.requireNonNull(on, "on");
        }

        /** Findings only, on some seed: the expectation of a scenario without {@code results} or {@code on}. */
        public Expectation(Set<FindingKind> findings, Set<FindingKind> allowed) {
            this(findings, allowed, List.of(), On.SOME);
        }
    }

    /** How an expectation reads over the seeds: YAML {@code on: every | some | none}. */
    public enum On {
        /** Each listed finding kind and result shows on every seed. */
        EVERY,
        /** Each shows on at least one seed (the default). */
        SOME,
        /** None of them shows on any seed. */
        NONE;

        /** The YAML word. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * An expected system call error: {@code call} returned {@code errno} (by name, e.g.
     * {@code EBUSY}) in {@code task}; a null task or errno matches any.
     */
    public record ResultPattern(String task, String call, String errno) {

        public ResultPattern {
            java.util.Objects.requireNonNull(call, "call");
        }

        public boolean matches(org.pinlab.api.finding.SyscallResult r) {
            return call.equals(r.call()) && (task == null || task.equals(r.task()))
                    && (errno == null || errno.equals(r.errno()));
        }

        /** {@code truncate: ftruncate -EBUSY}, or {@code ftruncate} with any task and errno. */
        public String describe() {
            return (task == null ? "" : task + ": ") + call + (errno == null ? " failing" : " -" + errno);
        }
    }

    /**
     * This scenario with one more combination, {@code name} choosing {@code choices} (family to
     * implementation), after the others; it replaces a combination of that name. The new
     * combination has no expectation.
     */
    public Scenario withCombination(String name, Map<String, String> choices) {
        Map<String, Map<String, String>> combos = new LinkedHashMap<>(combinations);
        combos.remove(name);
        combos.put(name, Map.copyOf(choices));
        return new Scenario(this.name, cites, description, source, machine, filesystems, files, processes, programs,
                devices, events, durationNs, combos, expectations, seeds, variants);
    }
}
