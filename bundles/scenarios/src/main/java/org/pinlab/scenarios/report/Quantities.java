package org.pinlab.scenarios.report;

import java.util.Locale;

/**
 * How a report writes simulated durations and sizes for people: short, with a unit, and never
 * rounding a small non-zero amount to nothing. JSON and CSV carry raw numbers instead.
 */
final class Quantities {

    static final double MIB = 1 << 20;

    private Quantities() {
    }

    /** {@code v} with a fixed number of decimals, or "-" when it is not a number. */
    static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /**
     * A simulated duration with a unit that keeps it short: 850 ns, 12.3 us, 4.56 ms, 1.20 s;
     * {@code micro} is how the microsecond is written ("us" on a terminal, "µs" in HTML).
     */
    /** What a figure no run measured shows (a DAX file has no writeback), rather than "0 ns". */
    static final String NOT_APPLICABLE = "n/a";

    static String duration(long ns, String micro) {
        if (ns == 0) {
            return "0 ns";
        }
        long a = Math.abs(ns);
        if (a < 1_000) {
            return ns + " ns";
        }
        if (a < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f %s", ns / 1e3, micro);
        }
        if (a < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }

    /** Bytes as MiB, with enough decimals that small amounts do not read as zero. */
    static String mib(double bytes) {
        double v = bytes / MIB;
        if (v == 0) {
            return "0";
        }
        if (v < 0.1) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        if (v < 10) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Bytes with a binary unit: 512 B, 16.0 KiB, 3.25 MiB, 1.50 GiB. */
    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        if (b < 1L << 30) {
            return String.format(Locale.ROOT, "%.2f MiB", b / MIB);
        }
        return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    }

    /** Host wall time: milliseconds up to ten seconds, then seconds. */
    static String wall(long millis) {
        return millis < 10_000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
