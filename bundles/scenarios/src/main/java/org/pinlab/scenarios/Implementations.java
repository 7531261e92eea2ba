package org.pinlab.scenarios;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.pinlab.api.lab.Pluggable;

/**
 * The implementations a run may choose from, by family and name: allocators, pin layouts,
 * the five policy families, filesystem types and device types. In Karaf it is filled from
 * the OSGi services; on the plain classpath the caller adds objects directly.
 */
public final class Implementations {

    public static final String ALLOCATOR = "allocator";
    public static final String PIN_LAYOUT = "pin-layout";
    public static final String RELEASE = "release";
    public static final String WRITEBACK = "writeback";
    public static final String RECLAIM = "reclaim";
    public static final String TRUNCATE = "truncate";
    public static final String ADMISSION = "admission";
    public static final String FILESYSTEM = "filesystem";
    public static final String DEVICE = "device";

    /** The families a combination chooses, in report order, with the kernel's own choice as default. */
    public static final Map<String, String> DEFAULTS = Collections.unmodifiableMap(new java.util.LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        {
            put(RELEASE, "legacy");
            put(WRITEBACK, "write");
            put(RECLAIM, "legacy");
            put(TRUNCATE, "proceed");
            put(ADMISSION, "allow");
            put(PIN_LAYOUT, "merged");
            put(ALLOCATOR, "buddy");
        }
    });

    private final Map<String, Map<String, Pluggable>> byFamily = new TreeMap<>();

    /** Adds an implementation; a later one with the same family and name replaces it. */
    public Implementations add(String family, Pluggable implementation) {
        byFamily.computeIfAbsent(family, f -> new TreeMap<>()).put(implementation.name(), implementation);
        return this;
    }

    /** The names available in a family, sorted. */
    public List<String> names(String family) {
        Map<String, Pluggable> m = byFamily.get(family);
        return m == null ? List.of() : new ArrayList<>(m.keySet());
    }

    public boolean has(String family, String name) {
        Map<String, Pluggable> m = byFamily.get(family);
        return m != null && m.containsKey(name);
    }

    /**
     * @throws IllegalArgumentException naming the family and the valid names
     */
    public <T> T get(String family, String name, Class<T> type) {
        Map<String, Pluggable> m = byFamily.get(family);
        Pluggable p = m == null ? null : m.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no " + family + " named '" + name + "'; available: "
                    + String.join(", ", names(family)));
        }
        return type.cast(p);
    }

    /** The one-paragraph description of an implementation. */
    public String description(String family, String name) {
        return get(family, name, Pluggable.class).description();
    }
}
