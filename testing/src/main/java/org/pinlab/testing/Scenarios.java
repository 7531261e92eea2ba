package org.pinlab.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.scenarios.Catalog;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.ScenarioException;
import org.pinlab.scenarios.ScenarioLoader;

/**
 * Where a scenario test starts: a scenario from a YAML file, from the catalog, or built in code,
 * ready to {@link ScenarioUnderTest#run run} against the implementations on the class path
 * ({@link ClasspathImplementations}), or against ones given.
 *
 * <pre>{@code
 * Scenarios.catalog("seed-001-rdma-ext4")
 *     .run("fixed", seeds(1, 20))
 *     .assertNoFindings(FindingKind.BUG)
 *     .assertExpectations();
 * }</pre>
 */
public final class Scenarios {

    /** Discovered once per class loader: discovery reads every jar's manifest. */
    private static final Map<ClassLoader, Implementations> DISCOVERED = new WeakHashMap<>();

    private Scenarios() {
    }

    /**
     * The implementations on the class path, discovered once per context class loader.
     *
     * @throws IllegalStateException as {@link ClasspathImplementations#discover(ClassLoader)}
     */
    public static Implementations implementations() {
        ClassLoader loader = ClasspathImplementations.defaultLoader();
        synchronized (DISCOVERED) {
            Implementations impls = DISCOVERED.get(loader);
            if (impls == null) {
                impls = ClasspathImplementations.discover(loader);
                DISCOVERED.put(loader, impls);
            }
            return impls;
        }
    }

    /**
     * A scenario file, loaded strictly against the class path's implementations.
     *
     * @throws IllegalArgumentException if there is no such file
     * @throws ScenarioException        with file, line and column if it cannot be read or is invalid
     */
    public static ScenarioUnderTest load(Path file) {
        return load(file, implementations());
    }

    /** As {@link #load(Path)}, against {@code impls}. */
    public static ScenarioUnderTest load(Path file, Implementations impls) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory; give a scenario's YAML file");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no scenario file " + file + " (looked for "
                    + file.toAbsolutePath().normalize() + "); a relative path starts at the module's directory");
        }
        Scenario s = new ScenarioLoader(impls).load(file);
        return new ScenarioUnderTest(s, impls, file.toAbsolutePath().normalize().toString());
    }

    /**
     * A scenario of the shipped catalog, by name.
     *
     * @throws IllegalArgumentException naming the nearest catalog name and every one
     */
    public static ScenarioUnderTest catalog(String name) {
        return catalog(name, implementations());
    }

    /** As {@link #catalog(String)}, against {@code impls}. */
    public static ScenarioUnderTest catalog(String name, Implementations impls) {
        Scenario s = new ScenarioLoader(impls).load("catalog:" + name, Catalog.yaml(name));
        return new ScenarioUnderTest(s, impls, name);
    }

    /**
     * A scenario built in code, against the class path's implementations. As in YAML, the
     * families a combination leaves out take the kernel's own choice ({@link Families#defaults()}).
     *
     * @throws IllegalArgumentException if a combination names an implementation that is not there
     */
    public static ScenarioUnderTest of(Scenario scenario) {
        return of(scenario, implementations());
    }

    /** A scenario built in code, against {@code impls}. */
    public static ScenarioUnderTest of(Scenario scenario, Implementations impls) {
        Objects.requireNonNull(scenario, "scenario");
        Map<String, Map<String, String>> combinations = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> c : scenario.combinations().entrySet()) {
            Map<String, String> choices = new LinkedHashMap<>(Families.defaults());
            choices.putAll(c.getValue());
            for (Family<?> f : Families.chosen()) {
                if (!impls.has(f, choices.get(f.name()))) {
                    throw new IllegalArgumentException("scenario " + scenario.name() + ", combination " + c.getKey()
                            + ": no " + f.name() + " named '" + choices.get(f.name()) + "'; available: "
                            + String.join(", ", impls.names(f)));
                }
            }
            combinations.put(c.getKey(), java.util.Collections.unmodifiableMap(choices));
        }
        Scenario s = scenario;
        Scenario complete = new Scenario(s.name(), s.cites(), s.description(), s.source(), s.machine(),
                s.filesystems(), s.files(), s.processes(), s.programs(), s.devices(), s.events(), s.durationNs(),
                combinations, s.expectations(), s.seeds(), s.variants());
        return new ScenarioUnderTest(complete, impls, scenario.name());
    }
}
