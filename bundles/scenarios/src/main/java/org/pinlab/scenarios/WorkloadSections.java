package org.pinlab.scenarios;

import static org.pinlab.scenarios.ScenarioLoader.MAX_NS;
import static org.pinlab.scenarios.ScenarioLoader.MAX_PAGES;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.scenarios.Scenario.BufferSpec;
import org.pinlab.scenarios.Scenario.DeviceSpec;
import org.pinlab.scenarios.Scenario.EventSpec;
import org.pinlab.scenarios.Scenario.FileSpec;
import org.pinlab.scenarios.Scenario.FsSpec;
import org.pinlab.scenarios.Scenario.MappingSpec;
import org.pinlab.scenarios.Scenario.ProcessSpec;
import org.pinlab.scenarios.Scenario.ProgramSpec;
import org.pinlab.scenarios.internal.Fields;
import org.pinlab.scenarios.internal.Node;

/**
 * The sections of a scenario that describe its workload, read in the order they refer to
 * each other: filesystems, the files on them, the processes that map the files, the programs
 * and devices that use the processes, the events on the files. Call the methods in that order;
 * each one checks its references against the sections read before it, and records the node of
 * every spec it makes in {@code origin}, so a set-up error can point at its line.
 */
final class WorkloadSections {

    /** How many times one buffer may be handed to a device (RDMA registrations of the same memory). */
    private static final int MAX_BUFFER_COUNT = 1 << 16;
    private static final String PROGRAM_KINDS = "a program is one of 'writer: PROCESS.MAPPING', 'hog: PROCESS', "
            + "'mapper: PROCESS' or 'pagemap: PROCESS' (with 'target: PROCESS')";

    private final Implementations impls;
    private final Map<Object, Node> origin;
    private final Set<String> mounts = new HashSet<>();
    private final Map<String, FileSpec> fileByName = new LinkedHashMap<>();
    private final Map<String, ProcessSpec> procByName = new LinkedHashMap<>();

    WorkloadSections(Implementations impls, Map<Object, Node> origin) {
        this.impls = impls;
        this.origin = origin;
    }

    /** The entry's 'type', which must name a registered implementation of {@code family}. */
    private String type(Fields f, Family<?> family, String what) {
        String type = f.string("type");
        if (!impls.has(family, type)) {
            throw f.get("type").error("unknown " + what + " type '" + type + "'"
                    + Fields.suggestion(type, impls.names(family)) + "; available: "
                    + String.join(", ", impls.names(family)));
        }
        return type;
    }

    /** 'filesystems': a mount point each, of a known type. */
    List<FsSpec> filesystems(Fields top) {
        List<FsSpec> filesystems = new ArrayList<>();
        for (Node n : top.list("filesystems")) {
            Fields f = Fields.of(n, "a filesystem");
            String mount = f.string("mount");
            String type = type(f, Families.FILESYSTEM, "filesystem");
            int blocks = (int) f.integer("blocks", 4096, 1, MAX_PAGES);
            Map<String, String> options = f.strings("options");
            boolean stableWrites = f.bool("stable-writes", false);
            f.done();
            if (!mounts.add(mount)) {
                throw f.get("mount").error("mount point " + mount + " is used twice");
            }
            FsSpec spec = new FsSpec(mount, type, blocks, options, stableWrites);
            origin.put(spec, n);
            filesystems.add(spec);
        }
        return filesystems;
    }

    /** 'files': a name each, on one of the filesystems. */
    List<FileSpec> files(Fields top) {
        List<FileSpec> files = new ArrayList<>();
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
        return files;
    }

    /** 'processes': a name, a memlock limit and mappings each. */
    List<ProcessSpec> processes(Fields top) {
        List<ProcessSpec> processes = new ArrayList<>();
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
                MappingSpec ms = mappingSpec(m, mn);
                if (!mnames.add(ms.name())) {
                    throw m.get("name").error("mapping " + ms.name() + " is defined twice in process " + pname);
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
        return processes;
    }

    /** One mapping of a process: a file, or anonymous pages (THP ones in whole huge pages). */
    private MappingSpec mappingSpec(Fields m, Node mn) {
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
        return ms;
    }

    /** 'programs': the workloads the processes run. */
    List<ProgramSpec> programs(Fields top) {
        List<ProgramSpec> programs = new ArrayList<>();
        for (Node n : top.list("programs")) {
            ProgramSpec ps = program(Fields.of(n, "a program"), n);
            origin.put(ps, n);
            programs.add(ps);
        }
        return programs;
    }

    /** 'devices': a name, a known type, the buffers it is handed and its parameters each. */
    List<DeviceSpec> devices(Fields top) {
        List<DeviceSpec> devices = new ArrayList<>();
        Set<String> dnames = new HashSet<>();
        Set<String> bnames = new HashSet<>();
        for (Node n : top.list("devices")) {
            Fields f = Fields.of(n, "a device");
            String dname = f.string("name");
            String type = type(f, Families.DEVICE, "device");
            List<BufferSpec> buffers = new ArrayList<>();
            for (Node bn : f.list("buffers")) {
                BufferSpec bs = buffer(Fields.of(bn, "a buffer"), bnames);
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
        return devices;
    }

    /** One buffer of a device: pages of a process's mapping, handed over {@code count} times. */
    private BufferSpec buffer(Fields b, Set<String> bnames) {
        String bname = b.string("name");
        String[] pm = mapping(b, "mapping");
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
        return bs;
    }

    /** 'events': truncates and hole punches of files, and madvise of mappings, at given times. */
    List<EventSpec> events(Fields top) {
        List<EventSpec> events = new ArrayList<>();
        for (Node n : top.list("events")) {
            EventSpec es = event(Fields.of(n, "an event"), n);
            origin.put(es, n);
            events.add(es);
        }
        return events;
    }

    private EventSpec event(Fields f, Node n) {
        long at = f.duration("at", 0, MAX_NS);
        if (f.has("truncate")) {
            FileSpec fs = file(f, "truncate");
            int size = (int) f.integer("size", 0, 0, fs.pages());
            f.has("punch-hole");
            f.done();
            return new EventSpec("truncate", at, fs.name(), size, fs.pages());
        }
        if (f.has("punch-hole")) {
            FileSpec fs = file(f, "punch-hole");
            int from = (int) f.integer("from", 0, 0, fs.pages() - 1);
            int to = (int) f.integer("to", fs.pages(), from + 1, fs.pages());
            f.done();
            return new EventSpec("punch-hole", at, fs.name(), from, to);
        }
        if (f.has("madvise")) {
            String[] pm = mapping(f, "madvise");
            int size = mappingPages(procByName.get(pm[0]), pm[1]);
            String advice = f.string("advice");
            if (!advice.equals("dontneed") && !advice.equals("hwpoison")) {
                throw f.get("advice").error("advice '" + advice + "' is not modelled; the model has 'dontneed'"
                        + " (MADV_DONTNEED) and 'hwpoison' (MADV_HWPOISON)");
            }
            int from = (int) f.integer("from", 0, 0, size - 1);
            int to = (int) f.integer("to", size, from + 1, size);
            f.done();
            return new EventSpec("madvise-" + advice, at, pm[0] + "." + pm[1], from, to);
        }
        throw n.error("an event is 'truncate: FILE' (with 'size'), 'punch-hole: FILE' (with 'from', 'to') or"
                + " 'madvise: PROCESS.MAPPING' (with 'advice: dontneed|hwpoison', 'from', 'to')");
    }

    /** One entry of 'programs': exactly one of the kinds, with that kind's keys only. */
    private ProgramSpec program(Fields f, Node n) {
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
                String[] pm = mapping(f, "writer");
                if (fileOf(procByName.get(pm[0]), pm[1]) == null) {
                    throw f.get("writer").error("writer " + f.string("writer") + " needs a file mapping");
                }
                int store = (int) f.integer("store", 60, 0, 100);
                int load = (int) f.integer("load", 25, 0, 100);
                int fsync = (int) f.integer("fsync", 5, 0, 100);
                int truncate = (int) f.integer("truncate", 0, 0, 100);
                int write = (int) f.integer("write", 0, 0, 100);
                if (store + load + fsync + truncate + write > 100) {
                    throw n.error("store + load + fsync + truncate + write is "
                            + (store + load + fsync + truncate + write) + "%; at most 100");
                }
                if (store + load == 100) {
                    throw n.error("store + load is 100%: a writer that only stores and loads never lets simulated"
                            + " time pass; leave at least 1% to fsync, truncate, write or think");
                }
                long think = f.duration("think", 200_000, 1, MAX_NS);
                ps = new ProgramSpec(kind, pm[0], pm[1], null, store, load, fsync, truncate, think, 0, 0,
                        f.duration("start", 0, 0, MAX_NS), write);
                break;
            }
            case "hog": {
                String proc = process(f, "hog");
                int pages = (int) f.pages("pages", 256, 1, MAX_PAGES);
                long hold = f.duration("hold", 2_000_000, 1, MAX_NS);
                ps = new ProgramSpec(kind, proc, null, null, 0, 0, 0, 0, 0, pages, hold,
                        f.duration("start", 0, 0, MAX_NS));
                break;
            }
            default: {
                // a mapper, or a pagemap reader of a target process
                String proc = process(f, kind);
                boolean reader = kind.equals("pagemap");
                String target = reader ? process(f, "target") : null;
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
    private String process(Fields f, String key) {
        String proc = f.string(key);
        if (!procByName.containsKey(proc)) {
            throw f.get(key).error("no process named " + proc + Fields.suggestion(proc, procByName.keySet()));
        }
        return proc;
    }

    private FileSpec file(Fields f, String key) {
        String name = f.string(key);
        FileSpec fs = fileByName.get(name);
        if (fs == null) {
            throw f.get(key).error("no file named " + name + Fields.suggestion(name, fileByName.keySet()));
        }
        return fs;
    }

    /** A {@code PROCESS.MAPPING} reference, checked. */
    private String[] mapping(Fields f, String key) {
        String ref = f.string(key);
        int dot = ref.indexOf('.');
        if (dot <= 0 || dot == ref.length() - 1) {
            throw f.get(key).error("'" + key + "' is '" + ref + "'; expected PROCESS.MAPPING, e.g. app.buf");
        }
        String proc = ref.substring(0, dot);
        String map = ref.substring(dot + 1);
        ProcessSpec ps = procByName.get(proc);
        if (ps == null) {
            throw f.get(key).error("no process named " + proc + Fields.suggestion(proc, procByName.keySet()));
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
