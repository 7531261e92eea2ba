package org.pinlab.scenarios;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.pinlab.api.families.Families;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.kernel.Cost;
import org.pinlab.scenarios.Scenario.BufferSpec;
import org.pinlab.scenarios.Scenario.DeviceSpec;
import org.pinlab.scenarios.Scenario.EventSpec;
import org.pinlab.scenarios.Scenario.Expectation;
import org.pinlab.scenarios.Scenario.FileSpec;
import org.pinlab.scenarios.Scenario.FsSpec;
import org.pinlab.scenarios.Scenario.MachineSpec;
import org.pinlab.scenarios.Scenario.MappingSpec;
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

    private static final long MAX_NS = 3_600_000_000_000L;
    private static final int MAX_PAGES = 1 << 24;
    /** How many times one buffer may be handed to a device (RDMA registrations of the same memory). */
    private static final int MAX_BUFFER_COUNT = 1 << 16;
    private static final List<String> PAGEMAP_READERS = List.of("old", "fixed");
    private static final String PROGRAM_KINDS = "a program is one of 'writer: PROCESS.MAPPING', 'hog: PROCESS', "
            + "'mapper: PROCESS' or 'pagemap: PROCESS' (with 'target: PROCESS')";

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
        Scenario s = parse(Node.parse(source, yaml), origin);
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

    private Scenario parse(Node root, Map<Object, Node> origin) {
        Fields top = Fields.of(root, "the scenario").only("name", "cites", "description", "machine", "filesystems",
                "files", "processes", "programs", "devices", "events", "duration", "seeds", "combinations", "expect");
        String name = top.string("name");
        String cites = top.string("cites", "");
        String description = top.string("description", "");
        MachineSpec machine = machine(top);
        int seeds = (int) top.integer("seeds", 50, 1, 100_000);
        long duration = top.duration("duration", 1, MAX_NS);

        List<FsSpec> filesystems = new ArrayList<>();
        Set<String> mounts = new HashSet<>();
        for (Node n : top.list("filesystems")) {
            Fields f = Fields.of(n, "a filesystem");
            String mount = f.string("mount");
            String type = f.string("type");
            if (!impls.has(Families.FILESYSTEM, type)) {
                throw f.get("type").error("unknown filesystem type '" + type + "'"
                        + Fields.suggestion(type, impls.names(Families.FILESYSTEM)) + "; available: "
                        + String.join(", ", impls.names(Families.FILESYSTEM)));
            }
            int blocks = (int) f.integer("blocks", 4096, 1, MAX_PAGES);
            Map<String, String> options = f.strings("options");
            f.done();
            if (!mounts.add(mount)) {
                throw f.get("mount").error("mount point " + mount + " is used twice");
            }
            FsSpec spec = new FsSpec(mount, type, blocks, options);
            origin.put(spec, n);
            filesystems.add(spec);
        }

        List<FileSpec> files = new ArrayList<>();
        Map<String, FileSpec> fileByName = new LinkedHashMap<>();
        for (Node n : top.list("files")) {
            Fields f = Fields.of(n, "a file");
            String fname = f.string("name");
            String mount = f.string("mount");
            if (!mounts.contains(mount)) {
                throw f.get("mount").error("no filesystem is mounted at " + mount + Fields.suggestion(mount, mounts)
                        + "; mounts: " + String.join(", ", mounts));
            }
            int pages = (int) f.pages("pages", 16, 1, MAX_PAGES);
            f.done();
            FileSpec spec = new FileSpec(fname, mount, pages);
            if (fileByName.put(fname, spec) != null) {
                throw f.get("name").error("file " + fname + " is defined twice");
            }
            origin.put(spec, n);
            files.add(spec);
        }

        List<ProcessSpec> processes = new ArrayList<>();
        Map<String, ProcessSpec> procByName = new LinkedHashMap<>();
        for (Node n : top.list("processes")) {
            Fields f = Fields.of(n, "a process");
            String pname = f.string("name");
            String memlock = f.string("memlock", "unlimited");
            long memlockPages = memlock.equals("unlimited") ? Long.MAX_VALUE
                    : f.pages("memlock", 0, 0, Long.MAX_VALUE / 2);
            List<MappingSpec> mappings = new ArrayList<>();
            Set<String> mnames = new HashSet<>();
            for (Node mn : f.list("mappings")) {
                Fields m = Fields.of(mn, "a mapping");
                String mname = m.string("name");
                boolean hasFile = m.has("file");
                boolean hasAnon = m.has("anon");
                if (hasFile == hasAnon) {
                    throw mn.error("mapping " + mname + " needs exactly one of 'file' (a file name) or 'anon' (pages)");
                }
                MappingSpec ms;
                if (hasFile) {
                    String file = m.string("file");
                    FileSpec fs = fileByName.get(file);
                    if (fs == null) {
                        throw m.get("file").error("no file named " + file + Fields.suggestion(file, fileByName.keySet())
                                + "; files: " + String.join(", ", fileByName.keySet()));
                    }
                    m.bool("thp", false);
                    ms = new MappingSpec(mname, file, fs.pages(), false);
                } else {
                    int pages = (int) m.pages("anon", 0, 1, MAX_PAGES);
                    boolean thp = m.bool("thp", false);
                    if (thp && pages % 512 != 0) {
                        throw m.get("anon").error("a THP mapping needs a multiple of 512 pages (2 MiB); was " + pages);
                    }
                    ms = new MappingSpec(mname, null, pages, thp);
                }
                m.done();
                if (!mnames.add(mname)) {
                    throw m.get("name").error("mapping " + mname + " is defined twice in process " + pname);
                }
                origin.put(ms, mn);
                mappings.add(ms);
            }
            f.done();
            ProcessSpec ps = new ProcessSpec(pname, memlockPages, mappings);
            if (procByName.put(pname, ps) != null) {
                throw f.get("name").error("process " + pname + " is defined twice");
            }
            origin.put(ps, n);
            processes.add(ps);
        }

        List<ProgramSpec> programs = new ArrayList<>();
        for (Node n : top.list("programs")) {
            ProgramSpec ps = program(Fields.of(n, "a program"), n, procByName);
            origin.put(ps, n);
            programs.add(ps);
        }

        List<DeviceSpec> devices = new ArrayList<>();
        Set<String> dnames = new HashSet<>();
        Set<String> bnames = new HashSet<>();
        for (Node n : top.list("devices")) {
            Fields f = Fields.of(n, "a device");
            String dname = f.string("name");
            String type = f.string("type");
            if (!impls.has(Families.DEVICE, type)) {
                throw f.get("type").error("unknown device type '" + type + "'"
                        + Fields.suggestion(type, impls.names(Families.DEVICE)) + "; available: "
                        + String.join(", ", impls.names(Families.DEVICE)));
            }
            List<BufferSpec> buffers = new ArrayList<>();
            for (Node bn : f.list("buffers")) {
                Fields b = Fields.of(bn, "a buffer");
                String bname = b.string("name");
                String[] pm = mapping(b, "mapping", procByName);
                int size = mappingPages(procByName.get(pm[0]), pm[1]);
                int offset = (int) b.integer("offset", 0, 0, size - 1);
                int pages = (int) b.pages("pages", size - offset, 1, size - offset);
                int count = (int) b.integer("count", 1, 1, MAX_BUFFER_COUNT);
                b.done();
                BufferSpec bs = new BufferSpec(bname, pm[0], pm[1], offset, pages, count);
                for (String one : bs.names()) {
                    if (!bnames.add(one)) {
                        throw b.get("name").error("buffer " + one + " is defined twice");
                    }
                }
                origin.put(bs, bn);
                buffers.add(bs);
            }
            Map<String, String> params = f.strings("params");
            f.done();
            if (!dnames.add(dname)) {
                throw f.get("name").error("device " + dname + " is defined twice");
            }
            DeviceSpec ds = new DeviceSpec(dname, type, buffers, params);
            origin.put(ds, n);
            devices.add(ds);
        }

        List<EventSpec> events = new ArrayList<>();
        for (Node n : top.list("events")) {
            Fields f = Fields.of(n, "an event");
            long at = f.duration("at", 0, MAX_NS);
            EventSpec es;
            if (f.has("truncate")) {
                FileSpec fs = file(f, "truncate", fileByName);
                int size = (int) f.integer("size", 0, 0, fs.pages());
                f.has("punch-hole");
                f.done();
                es = new EventSpec("truncate", at, fs.name(), size, fs.pages());
            } else if (f.has("punch-hole")) {
                FileSpec fs = file(f, "punch-hole", fileByName);
                int from = (int) f.integer("from", 0, 0, fs.pages() - 1);
                int to = (int) f.integer("to", fs.pages(), from + 1, fs.pages());
                f.done();
                es = new EventSpec("punch-hole", at, fs.name(), from, to);
            } else {
                throw n.error("an event is either 'truncate: FILE' (with 'size') or 'punch-hole: FILE' (with 'from', 'to')");
            }
            origin.put(es, n);
            events.add(es);
        }

        boolean readsPagemap = programs.stream().anyMatch(p -> p.kind().equals("pagemap"));
        Map<String, Map<String, String>> combinations = combinations(top, readsPagemap);
        Map<String, Expectation> expectations = expectations(top, combinations);
        top.done();
        return new Scenario(name, cites, description, root.source(), machine, filesystems, files, processes, programs,
                devices, events, duration, combinations, expectations, seeds);
    }

    /** One entry of 'programs': exactly one of the kinds, with that kind's keys only. */
    private static ProgramSpec program(Fields f, Node n, Map<String, ProcessSpec> procs) {
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("writer", "hog", "mapper", "pagemap")) {
            if (f.has(kind)) {
                kinds.add(kind);
            }
        }
        if (kinds.size() != 1) {
            throw n.error(kinds.isEmpty() ? PROGRAM_KINDS
                    : "a program has one kind, this one has " + String.join(" and ", kinds) + "; " + PROGRAM_KINDS);
        }
        String kind = kinds.get(0);
        ProgramSpec ps;
        switch (kind) {
            case "writer": {
                String[] pm = mapping(f, "writer", procs);
                if (fileOf(procs.get(pm[0]), pm[1]) == null) {
                    throw f.get("writer").error("writer " + f.string("writer") + " needs a file mapping");
                }
                int store = (int) f.integer("store", 60, 0, 100);
                int load = (int) f.integer("load", 25, 0, 100);
                int fsync = (int) f.integer("fsync", 5, 0, 100);
                int truncate = (int) f.integer("truncate", 0, 0, 100);
                if (store + load + fsync + truncate > 100) {
                    throw n.error("store + load + fsync + truncate is " + (store + load + fsync + truncate)
                            + "%; at most 100");
                }
                if (store + load == 100) {
                    throw n.error("store + load is 100%: a writer that only stores and loads never lets simulated"
                            + " time pass; leave at least 1% to fsync, truncate or think");
                }
                long think = f.duration("think", 200_000, 1, MAX_NS);
                ps = new ProgramSpec(kind, pm[0], pm[1], null, store, load, fsync, truncate, think, 0, 0,
                        f.duration("start", 0, 0, MAX_NS));
                break;
            }
            case "hog": {
                String proc = process(f, "hog", procs);
                int pages = (int) f.pages("pages", 256, 1, MAX_PAGES);
                long hold = f.duration("hold", 2_000_000, 1, MAX_NS);
                ps = new ProgramSpec(kind, proc, null, null, 0, 0, 0, 0, 0, pages, hold,
                        f.duration("start", 0, 0, MAX_NS));
                break;
            }
            default: {
                // a mapper, or a pagemap reader of a target process
                String proc = process(f, kind, procs);
                boolean reader = kind.equals("pagemap");
                String target = reader ? process(f, "target", procs) : null;
                int pages = (int) f.pages("pages", reader ? 1024 : 1, 1, MAX_PAGES);
                long think = f.duration("think", 200_000, 1, MAX_NS);
                ps = new ProgramSpec(kind, proc, null, target, 0, 0, 0, 0, think, pages, 0,
                        f.duration("start", 0, 0, MAX_NS));
                break;
            }
        }
        f.done();
        return ps;
    }

    /** A process name, checked. */
    private static String process(Fields f, String key, Map<String, ProcessSpec> procs) {
        String proc = f.string(key);
        if (!procs.containsKey(proc)) {
            throw f.get(key).error("no process named " + proc + Fields.suggestion(proc, procs.keySet()));
        }
        return proc;
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
            x.done();
            all.has(e.getKey());
            out.put(e.getKey(), new Expectation(findings, allowed));
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

    private static FileSpec file(Fields f, String key, Map<String, FileSpec> files) {
        String name = f.string(key);
        FileSpec fs = files.get(name);
        if (fs == null) {
            throw f.get(key).error("no file named " + name + Fields.suggestion(name, files.keySet()));
        }
        return fs;
    }

    /** A {@code PROCESS.MAPPING} reference, checked. */
    private static String[] mapping(Fields f, String key, Map<String, ProcessSpec> procs) {
        String ref = f.string(key);
        int dot = ref.indexOf('.');
        if (dot <= 0 || dot == ref.length() - 1) {
            throw f.get(key).error("'" + key + "' is '" + ref + "'; expected PROCESS.MAPPING, e.g. app.buf");
        }
        String proc = ref.substring(0, dot);
        String map = ref.substring(dot + 1);
        ProcessSpec ps = procs.get(proc);
        if (ps == null) {
            throw f.get(key).error("no process named " + proc + Fields.suggestion(proc, procs.keySet()));
        }
        List<String> maps = new ArrayList<>();
        ps.mappings().forEach(m -> maps.add(m.name()));
        if (!maps.contains(map)) {
            throw f.get(key).error("process " + proc + " has no mapping " + map + Fields.suggestion(map, maps)
                    + "; mappings: " + String.join(", ", maps));
        }
        return new String[] {proc, map};
    }

    private static String fileOf(ProcessSpec p, String mapping) {
        for (MappingSpec m : p.mappings()) {
            if (m.name().equals(mapping)) {
                return m.file();
            }
        }
        return null;
    }

    private static int mappingPages(ProcessSpec p, String mapping) {
        for (MappingSpec m : p.mappings()) {
            if (m.name().equals(mapping)) {
                return m.pages();
            }
        }
        throw new IllegalStateException(mapping);
    }
}
