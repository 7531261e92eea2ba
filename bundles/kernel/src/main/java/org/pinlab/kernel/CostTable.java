package org.pinlab.kernel;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** The simulated cost of every {@link Cost}, defaults with a run's overrides. Immutable. */
public final class CostTable {

    private static final CostTable DEFAULTS = new CostTable(
            Arrays.stream(Cost.values()).mapToLong(Cost::defaultNs).toArray());

    private final long[] ns;

    private CostTable(long[] ns) {
        this.ns = ns;
    }

    public static CostTable defaults() {
        return DEFAULTS;
    }

    public long ns(Cost cost) {
        return ns[cost.ordinal()];
    }

    /** A table with one cost changed. */
    public CostTable with(Cost cost, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("cost " + cost.key() + " must not be negative, was " + value);
        }
        long[] next = ns.clone();
        next[cost.ordinal()] = value;
        return new CostTable(next);
    }

    /**
     * A table with overrides given by key ({@code block-write: 30000}). Checks every entry
     * before applying any, so a bad one leaves nothing half-applied.
     *
     * @throws IllegalArgumentException naming the unknown key and the valid ones, or the bad value
     */
    public CostTable with(Map<String, Long> overrides) {
        long[] next = ns.clone();
        for (Map.Entry<String, Long> e : overrides.entrySet()) {
            Cost cost = byKey(e.getKey());
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("cost " + e.getKey() + " must be a non-negative number of ns, was "
                        + e.getValue());
            }
            next[cost.ordinal()] = e.getValue();
        }
        return new CostTable(next);
    }

    /** @throws IllegalArgumentException naming the valid keys */
    public static Cost byKey(String key) {
        for (Cost c : Cost.values()) {
            if (c.key().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cost '" + key + "'; known costs: "
                + Arrays.stream(Cost.values()).map(Cost::key).collect(Collectors.joining(", ")));
    }
}
