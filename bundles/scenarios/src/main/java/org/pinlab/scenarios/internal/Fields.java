package org.pinlab.scenarios.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.pinlab.api.device.Parameters;
import org.pinlab.scenarios.ScenarioException;

/**
 * Reads one YAML mapping strictly: each getter names the key it reads, and {@link #done}
 * rejects any key nobody read, suggesting the nearest valid one.
 */
public final class Fields {

    private final Node node;
    private final String what;
    private final Set<String> known = new LinkedHashSet<>();

    private Fields(Node node, String what) {
        this.node = node;
        this.what = what;
    }

    /** The mapping at {@code node}, describing it as {@code what} in errors. */
    public static Fields of(Node node, String what) {
        if (node.kind != Node.Kind.MAP) {
            throw node.error(what + " must be a mapping of keys, not " + describe(node));
        }
        return new Fields(node, what);
    }

    public Node node() {
        return node;
    }

    static String describe(Node n) {
        switch (n.kind) {
            case LIST:
                return "a list";
            case MAP:
                return "a mapping";
            case NULL:
                return "nothing";
            default:
                return "'" + n.text() + "'";
        }
    }

    public boolean has(String key) {
        known.add(key);
        return node.fields().containsKey(key) && node.fields().get(key).kind != Node.Kind.NULL;
    }

    public Node get(String key) {
        known.add(key);
        return node.fields().get(key);
    }

    private Node required(String key) {
        known.add(key);
        Node n = node.fields().get(key);
        if (n == null || n.kind == Node.Kind.NULL) {
            throw node.error(what + " needs '" + key + "'");
        }
        return n;
    }

    public String string(String key) {
        return scalar(required(key), key);
    }

    public String string(String key, String fallback) {
        return has(key) ? scalar(get(key), key) : fallback;
    }

    private String scalar(Node n, String key) {
        if (n.kind != Node.Kind.SCALAR) {
            throw n.error("'" + key + "' must be a single value, not " + describe(n));
        }
        return n.text();
    }

    public long integer(String key, long fallback, long min, long max) {
        if (!has(key)) {
            return fallback;
        }
        return integerAt(get(key), key, min, max);
    }

    public long integer(String key, long min, long max) {
        return integerAt(required(key), key, min, max);
    }

    static long integerAt(Node n, String key, long min, long max) {
        String text = n.kind == Node.Kind.SCALAR ? n.text() : null;
        try {
            long v = Long.parseLong(text == null ? "" : text.trim().replace("_", ""));
            if (v < min || v > max) {
                throw n.error("'" + key + "' is " + v + "; expected an integer from " + min + " to " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw n.error("'" + key + "' is " + describe(n) + "; expected an integer from " + min + " to " + max);
        }
    }

    /** A size in pages: a plain number of pages, or bytes with a unit (KiB, MiB, GiB). */
    public long pages(String key, long fallback, long min, long max) {
        if (!has(key)) {
            return fallback;
        }
        Node n = get(key);
        String t = n.kind == Node.Kind.SCALAR ? n.text().trim() : "";
        long pages;
        try {
            long unit = 0;
            String digits = t;
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.endsWith("kib")) {
                unit = 1L << 10;
            } else if (lower.endsWith("mib")) {
                unit = 1L << 20;
            } else if (lower.endsWith("gib")) {
                unit = 1L << 30;
            }
            if (unit != 0) {
                digits = t.substring(0, t.length() - 3).trim();
                long bytes = Long.parseLong(digits) * unit;
                if (bytes % 4096 != 0) {
                    throw n.error("'" + key + "' is " + t + ", not a whole number of 4 KiB pages");
                }
                pages = bytes / 4096;
            } else {
                pages = Long.parseLong(digits.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            throw n.error("'" + key + "' is " + describe(n) + "; expected a number of pages or a size like 16MiB");
        }
        if (pages < min || pages > max) {
            throw n.error("'" + key + "' is " + pages + " pages; expected from " + min + " to " + max + " pages");
        }
        return pages;
    }

    /** A duration with a unit: ns, us, ms or s. */
    public long duration(String key, long fallback, long min, long max) {
        if (!has(key)) {
            return fallback;
        }
        return durationAt(get(key), key, min, max);
    }

    public long duration(String key, long min, long max) {
        return durationAt(required(key), key, min, max);
    }

    static long durationAt(Node n, String key, long min, long max) {
        long ns;
        try {
            ns = Parameters.parseDuration(n.kind == Node.Kind.SCALAR ? n.text() : "");
        } catch (NumberFormatException e) {
            throw n.error("'" + key + "' is " + describe(n) + "; expected a duration like 250us, 5ms or 2s");
        }
        if (ns < min || ns > max) {
            throw n.error("'" + key + "' is " + Parameters.formatNs(ns) + "; expected from " + Parameters.formatNs(min)
                    + " to " + Parameters.formatNs(max));
        }
        return ns;
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        Node n = get(key);
        if (n.kind == Node.Kind.SCALAR && (n.text().equals("true") || n.text().equals("false"))) {
            return Boolean.parseBoolean(n.text());
        }
        throw n.error("'" + key + "' is " + describe(n) + "; expected true or false");
    }

    /** One of {@code choices}. */
    public String choice(String key, String fallback, List<String> choices) {
        if (!has(key)) {
            return fallback;
        }
        Node n = get(key);
        String v = scalar(n, key);
        if (!choices.contains(v)) {
            throw n.error("'" + key + "' is '" + v + "'" + suggestion(v, choices) + "; expected one of "
                    + String.join(", ", choices));
        }
        return v;
    }

    /** A list (absent: empty). */
    public List<Node> list(String key) {
        if (!has(key)) {
            return List.of();
        }
        Node n = get(key);
        if (n.kind != Node.Kind.LIST) {
            throw n.error("'" + key + "' must be a list, not " + describe(n));
        }
        return n.items();
    }

    /** A mapping of plain values (strings, numbers, booleans) as strings, in file order. */
    public Map<String, String> strings(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!has(key)) {
            return out;
        }
        Node n = get(key);
        if (n.kind != Node.Kind.MAP) {
            throw n.error("'" + key + "' must be a mapping of names to values, not " + describe(n));
        }
        n.fields().forEach((k, v) -> {
            if (v.kind != Node.Kind.SCALAR) {
                throw v.error("'" + key + "." + k + "' must be a single value, not " + describe(v));
            }
            out.put(k, v.text());
        });
        return out;
    }

    /** A list of single values. */
    public List<String> stringList(String key) {
        List<String> out = new ArrayList<>();
        for (Node n : list(key)) {
            out.add(scalar(n, key));
        }
        return out;
    }

    /** Declares every valid key up front and fails at once on any other, before required keys are asked for. */
    public Fields only(String... keys) {
        known.addAll(List.of(keys));
        done();
        return this;
    }

    /** Fails on the first key no getter asked for. */
    public void done() {
        List<ScenarioException> unknown = unknownKeys();
        if (!unknown.isEmpty()) {
            throw unknown.get(0);
        }
    }

    /** An error for every key no getter asked for, in file order. */
    public List<ScenarioException> unknownKeys() {
        List<ScenarioException> out = new ArrayList<>();
        for (String key : node.fields().keySet()) {
            if (!known.contains(key)) {
                out.add(node.keyError(key, "unknown key '" + key + "' in " + what + suggestion(key, known)
                        + "; valid keys: " + String.join(", ", known)));
            }
        }
        return out;
    }

    /** Declares every valid key up front, failing on none: {@link #unknownKeys} says which others there are. */
    public Fields declare(String... keys) {
        known.addAll(List.of(keys));
        return this;
    }

    /** " (did you mean 'x'?)" or "". */
    public static String suggestion(String given, Iterable<String> valid) {
        String near = Parameters.nearest(given, valid);
        return near != null ? " (did you mean '" + near + "'?)" : "";
    }

    /** A ScenarioException at the key {@code key} of this mapping. */
    public ScenarioException keyError(String key, String problem) {
        return node.keyError(key, problem);
    }
}
