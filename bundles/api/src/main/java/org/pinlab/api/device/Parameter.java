package org.pinlab.api.device;

import java.util.List;
import java.util.Objects;

/**
 * One workload parameter of a device: its name, kind, default and allowed range, and one
 * line for users. Values are strings as scenario files and shell arguments give them:
 * integers ({@code 64}), durations with a unit ({@code 250us}, {@code 5ms}, {@code 1s}),
 * fractions ({@code 0.25}), booleans ({@code true}/{@code false}), or one of fixed choices.
 */
public record Parameter(String name, Kind kind, String defaultValue, double min, double max, List<String> choices,
                        String description) {

    public enum Kind {
        INT, DURATION, FRACTION, BOOL, CHOICE
    }

    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(defaultValue, "defaultValue");
        choices = List.copyOf(choices);
        Objects.requireNonNull(description, "description");
    }

    /** An integer in [min, max]. */
    public static Parameter integer(String name, long defaultValue, long min, long max, String description) {
        return new Parameter(name, Kind.INT, Long.toString(defaultValue), min, max, List.of(), description);
    }

    /** A duration in [min, max] nanoseconds; the default is written with its unit. */
    public static Parameter duration(String name, String defaultValue, long minNs, long maxNs, String description) {
        return new Parameter(name, Kind.DURATION, defaultValue, minNs, maxNs, List.of(), description);
    }

    /** A fraction in [0, 1]. */
    public static Parameter fraction(String name, double defaultValue, String description) {
        return new Parameter(name, Kind.FRACTION, Double.toString(defaultValue), 0, 1, List.of(), description);
    }

    public static Parameter bool(String name, boolean defaultValue, String description) {
        return new Parameter(name, Kind.BOOL, Boolean.toString(defaultValue), 0, 1, List.of(), description);
    }

    /** One of {@code choices}. */
    public static Parameter choice(String name, String defaultValue, List<String> choices, String description) {
        return new Parameter(name, Kind.CHOICE, defaultValue, 0, 0, choices, description);
    }

    /** What a valid value looks like, for error messages and help. */
    public String expected() {
        switch (kind) {
            case INT:
                return "an integer from " + (long) min + " to " + (long) max;
            case DURATION:
                return "a duration from " + Parameters.formatNs((long) min) + " to " + Parameters.formatNs((long) max)
                        + " (ns, us, ms or s)";
            case FRACTION:
                return "a number from 0 to 1";
            case BOOL:
                return "true or false";
            case CHOICE:
            default:
                return "one of " + String.join(", ", choices);
        }
    }
}
