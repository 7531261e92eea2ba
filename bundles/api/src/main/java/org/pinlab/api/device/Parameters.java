package org.pinlab.api.device;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Parsed, validated parameter values. {@link #parse} checks every given key and value before
 * returning, so a device is either created with all its parameters right or not at all.
 */
public final class Parameters {

    private final String owner;
    private final Map<String, Object> values;

    private Parameters(String owner, Map<String, Object> values) {
        this.owner = owner;
        this.values = values;
    }

    /**
     * Parses {@code given} against {@code specs}.
     *
     * @param owner what the parameters belong to, for messages ({@code device rdma})
     * @throws IllegalArgumentException naming the first unknown key (with the nearest valid
     *                                  one) or the first bad value (with what was expected)
     */
    public static Parameters parse(String owner, List<Parameter> specs, Map<String, String> given) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Parameter p : specs) {
            byName.put(p.name(), p);
        }
        for (String key : new TreeSet<>(given.keySet())) {
            if (!byName.containsKey(key)) {
                String near = nearest(key, byName.keySet());
                throw new IllegalArgumentException(owner + ": unknown parameter '" + key + "'"
                        + (near != null ? " (did you mean '" + near + "'?)" : "")
                        + "; valid parameters: " + String.join(", ", byName.keySet()));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Parameter p : specs) {
            String raw = given.get(p.name());
            values.put(p.name(), value(owner, p, raw != null ? raw : p.defaultValue(), raw == null));
        }
        return new Parameters(owner, Collections.unmodifiableMap(values));
    }

    private static Object value(String owner, Parameter p, String raw, boolean isDefault) {
        String text = raw.trim();
        try {
            Object v;
            switch (p.kind()) {
                case INT: {
                    long n = Long.parseLong(text);
                    inRange(n, p);
                    v = n;
                    break;
                }
                case DURATION: {
                    long ns = parseDuration(text);
                    inRange(ns, p);
                    v = ns;
                    break;
                }
                case FRACTION: {
                    double d = Double.parseDouble(text);
                    if (!(d >= 0 && d <= 1)) {
                        throw new NumberFormatException();
                    }
                    v = d;
                    break;
                }
                case BOOL:
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new NumberFormatException();
                    }
                    v = Boolean.parseBoolean(text);
                    break;
                case CHOICE:
                default:
                    if (!p.choices().contains(text)) {
                        throw new NumberFormatException();
                    }
                    v = text;
                    break;
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(owner + ": parameter '" + p.name() + "' is '" + raw + "'"
                    + (isDefault ? " (its default)" : "") + "; expected " + p.expected());
        }
    }

    private static void inRange(long n, Parameter p) {
        if (n < p.min() || n > p.max()) {
            throw new NumberFormatException();
        }
    }

    /** Parses {@code 250us}, {@code 5ms}, {@code 2s} or {@code 1000ns} into nanoseconds. */
    public static long parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit;
        String digits;
        if (t.endsWith("ns")) {
            unit = 1;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            unit = 1_000;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ms")) {
            unit = 1_000_000;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1_000_000_000;
            digits = t.substring(0, t.length() - 1);
        } else {
            throw new NumberFormatException("no unit in " + text);
        }
        long n = Long.parseLong(digits.trim());
        if (n < 0 || n > Long.MAX_VALUE / unit) {
            throw new NumberFormatException(text);
        }
        return n * unit;
    }

    /** Writes a duration with the largest unit that divides it. */
    public static String formatNs(long ns) {
        if (ns != 0 && ns % 1_000_000_000 == 0) {
            return ns / 1_000_000_000 + "s";
        }
        if (ns != 0 && ns % 1_000_000 == 0) {
            return ns / 1_000_000 + "ms";
        }
        if (ns != 0 && ns % 1_000 == 0) {
            return ns / 1_000 + "us";
        }
        return ns + "ns";
    }

    /** The candidate closest to {@code key} by edit distance, if reasonably close. */
    public static String nearest(String key, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(key, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[b.length()];
    }

    public long integer(String name) {
        return (Long) get(name);
    }

    /** A duration parameter in nanoseconds. */
    public long duration(String name) {
        return (Long) get(name);
    }

    public double fraction(String name) {
        return (Double) get(name);
    }

    public boolean bool(String name) {
        return (Boolean) get(name);
    }

    public String choice(String name) {
        return (String) get(name);
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException(owner + " has no parameter '" + name + "'");
        }
        return v;
    }

    /** Every parameter with its value, as {@code name=value}, in declaration order. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }
}
