package org.pinlab.scenarios;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.families.Families;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.kernel.Cost;
import org.pinlab.scenarios.Scenario.DeviceSpec;
import org.pinlab.scenarios.Scenario.EventSpec;
import org.pinlab.scenarios.Scenario.Expectation;
import org.pinlab.scenarios.Scenario.FileSpec;
import org.pinlab.scenarios.Scenario.FsSpec;
import org.pinlab.scenarios.Scenario.MachineSpec;
import org.pinlab.scenarios.Scenario.ProcessSpec;
import org.pinlab.scenarios.Scenario.ProgramSpec;
import org.pinlab.scenarios.internal.Fields;
import org.pinlab.scenarios.internal.Node;

/**
 * Reads scenario YAML strictly and checks it against the available implementations. Every
 * problem is a {@link ScenarioException} with the file, line and column; a scenario that
 * loads has also been set up once on a scratch machine for each combination, so mount
 * options and device parameters are known good before anything runs.
 */
public final class ScenarioLoader {

    /** The longest simulated time a duration in a scenario may give: one hour. */
    static final long MAX_NS = 3_600_000_000_000L;
    /** The most pages a size in a scenario may give: 64 GiB of 4 KiB pages. */
    static final int MAX_PAGES = 1 << 24;
    private static final List<String> PAGEMAP_READERS = List.of("old", "fixed");

    private final Implementations impls;

    public ScenarioLoader(Implementations impls) {
        this.impls = impls;
    }

    public Scenario load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), 0, 0, "cannot read the file: " + e.getMessage());
        }
        return load(file.toString(), text);
    }

    /** Parses and validates {@code yaml}; {@code source} names it in errors. */
    public Scenario load(String source, String yaml) {
        Map<Object, Node> origin = new java.util.IdentityHashMap<>();
        Scenario s = parse(Node.parse(source, yaml), origin, true);
        for (String combination : s.combinations().keySet()) {
            try {
                Runner.setUp(s, combination, 1, impls, org.pinlab.sim.Schedulers.earliestFirst());
            } catch (Runner.SetupException e) {
                Node at = origin.get(e.spec());
                throw at != null ? at.error(e.getMessage()) : new ScenarioException(source, 0, 0, e.getMessage());
            }
        }
        return s;
    }

    /**
     * The top level, then one section at a time: the machine, the workload's sections (each
     * referring only to those before it, see {@link WorkloadSections}), then the combinations and
     * what each is expected to find. {@code origin} learns the node of every spec, for set-up errors.
     */
    private Scenario parse(Node root, Map<Object, Node> origin, boolean readVariants) {
        Fields top = Fields.of(root, "the scenario").declare("name", "cites", "description", "machine", "filesystems",
                "files", "processes", "programs", "devices", "events", "duration", "seeds", "combinations", "expect");
        // every section is read even after one failed, so that the file's errors come out together;
        // a workload section that refers to a failed one is not read (its errors would only echo)
        List<ScenarioException> errors = new ArrayList<>(top.unknownKeys());
        String name = section(errors, () -> top.string("name"), null);
        String cites = section(errors, () -> top.string("cites", ""), "");
        String description = section(errors, () -> top.string("description", ""), "");
        MachineSpec machine = section(errors, () -> machine(top), null);
        Integer seeds = section(errors, () -> (int) top.integer("seeds", 50, 1, 100_000), null);
        Long duration = section(errors, () -> top.duration("duration", 1, MAX_NS), null);
        WorkloadSections workload = new WorkloadSections(impls, origin);
        int before = errors.size();
        List<FsSpec> filesystems = section(errors, () -> workload.filesystems(top), List.of());
        List<FileSpec> files = errors.size() > before ? List.of() : section(errors, () -> workload.files(top), List.of());
        List<ProcessSpec> processes = errors.size() > before ? List.of()
                : section(errors, () -> workload.processes(top), List.of());
        List<ProgramSpec> programs = errors.size() > before ? List.of()
                : section(errors, () -> workload.programs(top), List.of());
        List<DeviceSpec> devices = errors.size() > before ? List.of()
                : section(errors, () -> workload.devices(top), List.of());
        List<EventSpec> events = errors.size() > before ? List.of()
                : section(errors, () -> workload.events(top), List.of());
        boolean readsPagemap = programs.stream().anyMatch(p -> p.kind().equals("pagemap"));
        Map<String, Map<String, String>> combinations = section(errors, () -> combinations(top, readsPagemap), null);
        Map<String, Expectation> expectations = combinations == null ? Map.of()
                : section(errors, () -> expectations(top, combinations), Map.of());
        Map<String, Scenario> variants = new LinkedHashMap<>();
        if (readVariants && errors.isEmpty()) {
            for (Map.Entry<String, Node> c : top.get("combinations").fields().entrySet()) {
                Node merged = section(errors, () -> variantRoot(root, c.getValue()), null);
                if (merged != null && merged != root) {
                    try {
                        variants.put(c.getKey(), parse(merged, origin, false));
                    } catch (ScenarioException e) {
                        errors.add(e);
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ScenarioException.of(withoutEchoes(errors));
        }
        return new Scenario(name, cites, description, root.source(), machine, filesystems, files, processes, programs,
                devices, events, duration, combinations, expectations, seeds, variants);
    }

    /** The sections a combination may override besides its family choices. */
    static final List<String> OVERRIDES = List.of("machine", "devices", "programs", "events");

    /**
     * The scenario document as {@code combination} sees it: its {@code machine} keys laid over
     * the scenario's, each device it names (by name) merged with its override, its
     * {@code programs} and {@code events} in place of the scenario's; {@code root} itself when
     * it overrides nothing.
     */
    private static Node variantRoot(Node root, Node combination) {
        Node out = root;
        for (String key : OVERRIDES) {
            Node override = combination.fields().get(key);
            if (override == null) {
                continue;
            }
            Node base = root.fields().get(key);
            if (key.equals("devices")) {
                if (override.kind != Node.Kind.MAP) {
                    throw override.error("a combination's 'devices' maps a device name to what it changes, e.g."
                            + " devices: {gpu0: {params: {revocable: false}}}");
                }
                Node list = base;
                List<String> names = new ArrayList<>();
                for (Node d : base == null ? List.<Node>of() : base.items()) {
                    Node n = d.fields().get("name");
                    names.add(n == null ? "" : n.text());
                }
                for (Map.Entry<String, Node> d : override.fields().entrySet()) {
                    int i = names.indexOf(d.getKey());
                    if (i < 0) {
                        throw override.keyError(d.getKey(), "the scenario has no device '" + d.getKey() + "'"
                                + Fields.suggestion(d.getKey(), names) + "; devices: " + String.join(", ", names));
                    }
                    list = list.withItem(i, list.items().get(i).merged(d.getValue()));
                }
                out = out.with(key, list, combination, key);
            } else {
                out = out.with(key, base == null ? override : base.merged(override), combination, key);
            }
        }
        return out;
    }

    /**
     * The errors without a missing key that a misspelt one explains: with {@code duraton: 5ms}
     * the file does not also lack its {@code duration}, as far as the user is concerned.
     */
    private static List<ScenarioException> withoutEchoes(List<ScenarioException> errors) {
        List<String> meant = new ArrayList<>();
        for (ScenarioException e : errors) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^unknown key .*\\(did you mean '([^']+)'\\?\\)")
                    .matcher(e.problem());
            if (m.find()) {
                meant.add(m.group(1));
            }
        }
        List<ScenarioException> out = new ArrayList<>();
        for (ScenarioException e : errors) {
            boolean echo = meant.stream().anyMatch(k -> e.problem().endsWith(" needs '" + k + "'"));
            if (!echo) {
                out.add(e);
            }
        }
        return out.isEmpty() ? errors : out;
    }

    /** Reads one section; its error joins {@code errors} and {@code fallback} stands in. */
    private static <T> T section(List<ScenarioException> errors, java.util.function.Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (ScenarioException e) {
            errors.add(e);
            return fallback;
        }
    }

    private MachineSpec machine(Fields top) {
        if (!top.has("machine")) {
            return new MachineSpec(4096, 0, 1_000, 10_000_000_000L, true, Map.of(), 50_000_000);
        }
        Fields m = Fields.of(top.get("machine"), "machine");
        long memory = m.pages("memory", 4096, 64, MAX_PAGES);
        long movable = m.pages("movable", 0, 0, MAX_PAGES);
        long race = m.duration("race-window", 1_000, 0, 1_000_000_000);
        long hung = m.duration("hung-task", 10_000_000_000L, 1_000, MAX_NS);
        boolean lockdep = m.bool("lockdep", true);
        long maxSteps = m.integer("max-steps", 50_000_000, 1_000, Long.MAX_VALUE);
        Map<String, Long> costs = new LinkedHashMap<>();
        if (m.has("costs")) {
            Fields c = Fields.of(m.get("costs"), "machine.costs");
            List<String> keys = new ArrayList<>();
            for (Cost cost : Cost.values()) {
                keys.add(cost.key());
            }
            for (String key : c.node().fields().keySet()) {
                if (!keys.contains(key)) {
                    throw c.keyError(key, "unknown cost '" + key + "'" + Fields.suggestion(key, keys) + "; costs: "
                            + String.join(", ", keys));
                }
                costs.put(key, c.duration(key, 0, MAX_NS));
            }
        }
        m.done();
        return new MachineSpec(memory, movable, race, hung, lockdep, costs, maxSteps);
    }

    private Map<String, Map<String, String>> combinations(Fields top, boolean readsPagemap) {
        Node n = top.get("combinations");
        if (n == null || n.kind == Node.Kind.NULL) {
            throw top.node().error("the scenario needs 'combinations': at least one named set of strategy choices");
        }
        Fields all = Fields.of(n, "combinations");
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : n.fields().entrySet()) {
            Fields c = Fields.of(e.getValue(), "combination " + e.getKey());
            Map<String, String> choice = new LinkedHashMap<>(Families.defaults());
            for (String key : e.getValue().fields().keySet()) {
                if (OVERRIDES.contains(key)) {
                    c.get(key); // read with the scenario's sections: variantRoot
                    continue;
                }
                if (key.equals(Scenario.PAGEMAP_READ)) {
                    if (!readsPagemap) {
                        throw c.keyError(key, "'" + key + "' picks the pagemap_read of 'pagemap' programs, and"
                                + " this scenario has none");
                    }
                    choice.put(key, c.choice(key, "fixed", PAGEMAP_READERS));
                    continue;
                }
                Family<?> family = Families.byName(key).filter(Family::isChosen).orElse(null);
                if (family == null) {
                    List<String> keys = new ArrayList<>(Families.defaults().keySet());
                    keys.add(Scenario.PAGEMAP_READ);
                    throw c.keyError(key, "unknown family '" + key + "'" + Fields.suggestion(key, keys)
                            + "; families: " + String.join(", ", Families.defaults().keySet()) + "; and "
                            + Scenario.PAGEMAP_READ + " (old, fixed)");
                }
                String impl = c.string(key);
                if (!impls.has(family, impl)) {
                    throw c.get(key).error("no " + key + " named '" + impl + "'"
                            + Fields.suggestion(impl, impls.names(family)) + "; available: "
                            + String.join(", ", impls.names(family)));
                }
                choice.put(key, impl);
            }
            for (Family<?> family : Families.chosen()) {
                if (!impls.has(family, choice.get(family.name()))) {
                    throw e.getValue().error("combination " + e.getKey() + " takes the default " + family + " '"
                            + choice.get(family.name()) + "', which is not available; available: "
                            + String.join(", ", impls.names(family)));
                }
            }
            all.has(e.getKey());
            out.put(e.getKey(), choice);
        }
        if (out.isEmpty()) {
            throw n.error("'combinations' is empty; name at least one, e.g. legacy: {release: legacy}");
        }
        return out;
    }

    private Map<String, Expectation> expectations(Fields top, Map<String, Map<String, String>> combinations) {
        Map<String, Expectation> out = new LinkedHashMap<>();
        if (!top.has("expect")) {
            return out;
        }
        Node n = top.get("expect");
        Fields all = Fields.of(n, "expect");
        for (Map.Entry<String, Node> e : n.fields().entrySet()) {
            if (!combinations.containsKey(e.getKey())) {
                throw all.keyError(e.getKey(), "expectation for unknown combination '" + e.getKey() + "'"
                        + Fields.suggestion(e.getKey(), combinations.keySet()) + "; combinations: "
                        + String.join(", ", combinations.keySet()));
            }
            Fields x = Fields.of(e.getValue(), "expect." + e.getKey());
            Set<FindingKind> findings = kinds(x, "findings");
            Set<FindingKind> allowed = kinds(x, "allow");
            List<Scenario.ResultPattern> results = results(x);
            Scenario.On on = Scenario.On.valueOf(x.choice("on", "some", ON_WORDS).toUpperCase(Locale.ROOT));
            if (on == Scenario.On.NONE && !allowed.isEmpty()) {
                throw x.get("allow").error("'allow' has no meaning with 'on: none', which rules out only the"
                        + " findings and results it lists");
            }
            x.done();
            all.has(e.getKey());
            out.put(e.getKey(), new Expectation(findings, allowed, results, on));
        }
        return out;
    }

    private static final List<String> ON_WORDS = List.of("every", "some", "none");

    /** {@code results: [{task: T, call: C, errno: E}]}: task and errno optional. */
    private static List<Scenario.ResultPattern> results(Fields x) {
        List<Scenario.ResultPattern> out = new ArrayList<>();
        List<String> errnos = new ArrayList<>();
        for (Errno e : Errno.values()) {
            errnos.add(e.name());
        }
        for (Node n : x.list("results")) {
            Fields r = Fields.of(n, "result");
            String call = r.string("call");
            String task = r.has("task") ? r.string("task") : null;
            String errno = null;
            if (r.has("errno")) {
                Node e = r.get("errno");
                errno = r.string("errno").trim().toUpperCase(Locale.ROOT);
                if (errno.startsWith("-")) {
                    errno = errno.substring(1);
                }
                if (!errnos.contains(errno)) {
                    throw e.error("unknown errno '" + e.text() + "'" + Fields.suggestion(errno, errnos) + "; errnos: "
                            + String.join(", ", errnos));
                }
            }
            r.done();
            out.add(new Scenario.ResultPattern(task, call, errno));
        }
        return out;
    }

    private static Set<FindingKind> kinds(Fields x, String key) {
        Set<FindingKind> out = EnumSet.noneOf(FindingKind.class);
        List<String> names = new ArrayList<>();
        for (FindingKind k : FindingKind.values()) {
            names.add(k.name());
        }
        for (Node n : x.list(key)) {
            String text = n.text() == null ? "" : n.text().trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                out.add(FindingKind.valueOf(text));
            } catch (IllegalArgumentException e) {
                throw n.error("unknown finding kind '" + n.text() + "'" + Fields.suggestion(text, names) + "; kinds: "
                        + String.join(", ", names));
            }
        }
        return out;
    }
}
