package org.pinlab.shell.internal.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.pinlab.api.device.Parameters;
import org.pinlab.api.lab.Lab;
import org.pinlab.scenarios.Catalog;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.ScenarioException;
import org.pinlab.scenarios.ScenarioLoader;

/**
 * The scenarios a user can name: the shipped catalog and the files loaded in this Karaf.
 * A scenario is validated against the implementations registered when it is used, so a
 * stopped driver bundle makes the scenarios that need it fail with a clear message
 * instead of running half-configured. Files are read again at each use, so an edit shows.
 */
@Component(service = ScenarioStore.class)
public class ScenarioStore {

    /** One line of {@code pinlab:scenarios}: a scenario, or why it cannot load now. */
    public record Listing(String name, String source, String cites, List<String> combinations, String error) {
    }

    @Reference
    Lab lab;

    private final Map<String, Path> files = new LinkedHashMap<>();
    private final Map<String, Scenario> cache = new HashMap<>();
    private long cachedVersion = -1;

    /** Every scenario name: the catalog's, then the loaded files', in load order. */
    public synchronized List<String> names() {
        List<String> out = new ArrayList<>(Catalog.names());
        for (String n : files.keySet()) {
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Every scenario, loaded against the implementations registered now. */
    public List<Listing> list() {
        List<Listing> out = new ArrayList<>();
        for (String name : names()) {
            String source = source(name);
            try {
                Scenario s = get(name);
                out.add(new Listing(name, source, s.cites(), List.copyOf(s.combinations().keySet()), null));
            } catch (RuntimeException e) {
                out.add(new Listing(name, source, "", List.of(), e.getMessage()));
            }
        }
        return out;
    }

    private synchronized String source(String name) {
        Path p = files.get(name);
        return p != null ? p.toString() : "catalog";
    }

    /**
     * Loads a scenario file and remembers it under the name it declares.
     *
     * @throws ScenarioException        with file, line and column if the file is wrong
     * @throws IllegalArgumentException if the file does not exist
     */
    public Scenario load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such scenario file: " + file);
        }
        Scenario s = new ScenarioLoader(lab.bound()).load(file);
        synchronized (this) {
            if (Catalog.names().contains(s.name())) {
                throw new IllegalArgumentException(file + ": the name '" + s.name()
                        + "' belongs to a catalog scenario; give the file's scenario a name of its own");
            }
            files.put(s.name(), file.toAbsolutePath().normalize());
        }
        return s;
    }

    /**
     * A scenario by name, or a path to a YAML file (which is then remembered).
     *
     * @throws IllegalArgumentException naming the nearest scenario and every valid one
     * @throws ScenarioException        if it does not load against what is registered now
     */
    public Scenario get(String nameOrPath) {
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || nameOrPath.contains("/")) {
            return load(Path.of(nameOrPath));
        }
        Path file;
        synchronized (this) {
            file = files.get(nameOrPath);
        }
        if (file != null) {
            return new ScenarioLoader(lab.bound()).load(file);
        }
        List<String> names = names();
        if (!Catalog.names().contains(nameOrPath)) {
            throw new IllegalArgumentException("no scenario named '" + nameOrPath + "'"
                    + suggestion(nameOrPath, names) + "; scenarios: "
                    + String.join(", ", names));
        }
        synchronized (this) {
            long v = lab.version();
            if (v != cachedVersion) {
                cache.clear();
                cachedVersion = v;
            }
            Scenario s = cache.get(nameOrPath);
            if (s == null) {
                s = new ScenarioLoader(lab.bound()).load("catalog:" + nameOrPath, Catalog.yaml(nameOrPath));
                cache.put(nameOrPath, s);
            }
            return s;
        }
    }

    /**
     * The combination to run: the one named, or the scenario's first.
     *
     * @throws IllegalArgumentException naming the valid combinations
     */
    public static String combination(Scenario s, String wanted) {
        if (wanted == null) {
            return s.combinations().keySet().iterator().next();
        }
        if (!s.combinations().containsKey(wanted)) {
            throw new IllegalArgumentException("scenario " + s.name() + " has no combination '" + wanted + "'"
                    + suggestion(wanted, s.combinations().keySet()) + "; combinations: "
                    + String.join(", ", s.combinations().keySet()));
        }
        return wanted;
    }

    /** " (did you mean 'x'?)" for the nearest valid name, or "". */
    private static String suggestion(String given, Iterable<String> valid) {
        String near = Parameters.nearest(given, valid);
        return near != null ? " (did you mean '" + near + "'?)" : "";
    }
}
