package org.pinlab.api.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The implementations a run may use, by family and name: a snapshot of what is bound. In
 * Karaf the lab fills it from the OSGi services; on the plain classpath the caller adds
 * objects directly. Not thread-safe while it is being filled; read-only afterwards.
 */
public final class Implementations {

    private final Map<Family<?>, Map<String, Pluggable>> byFamily = new HashMap<>();
    private final Map<Family<?>, Map<String, String>> versions = new HashMap<>();

    /**
     * Adds an unversioned implementation (plain Java, tests); a later one with the same family
     * and name replaces it.
     */
    public <T extends Pluggable> Implementations add(Family<T> family, T implementation) {
        return add(family, implementation, "");
    }

    /**
     * Adds an implementation as version {@code version} of the bundle that registered it; a
     * later one with the same family and name replaces it. The version is part of every trace
     * hash of a run that uses it.
     */
    public <T extends Pluggable> Implementations add(Family<T> family, T implementation, String version) {
        byFamily.computeIfAbsent(family, f -> new TreeMap<>()).put(implementation.name(), family.cast(implementation));
        versions.computeIfAbsent(family, f -> new TreeMap<>()).put(implementation.name(),
                Objects.requireNonNull(version, "version"));
        return this;
    }

    /**
     * The version of the bundle that registered an implementation, "" for one added without
     * a version.
     *
     * @throws IllegalArgumentException naming the family and the valid names
     */
    public String version(Family<?> family, String name) {
        get(family, name);
        return versions.get(family).get(name);
    }

    /** The names available in a family, sorted. */
    public List<String> names(Family<?> family) {
        Map<String, Pluggable> m = byFamily.get(family);
        return m == null ? List.of() : new ArrayList<>(m.keySet());
    }

    public boolean has(Family<?> family, String name) {
        Map<String, Pluggable> m = byFamily.get(family);
        return m != null && m.containsKey(name);
    }

    /**
     * The implementation of {@code family} named {@code name}.
     *
     * @throws IllegalArgumentException naming the family and the valid names
     */
    public <T extends Pluggable> T get(Family<T> family, String name) {
        Map<String, Pluggable> m = byFamily.get(family);
        Pluggable p = m == null ? null : m.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no " + family.name() + " named '" + name + "'; available: "
                    + String.join(", ", names(family)));
        }
        return family.cast(p);
    }

    /** The one-paragraph description of an implementation. */
    public String description(Family<?> family, String name) {
        return get(family, name).description();
    }
}
