package org.pinlab.scenarios.report;

/** A count with its noun in the right number, for every line pinlab prints: "1 run", "2 runs". */
public final class Counts {

    private Counts() {
    }

    /** {@code n} and {@code noun}, plural unless {@code n} is 1 (pinlab's nouns take an s). */
    public static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }

    /** As {@link #of}, with thousands separators ({@code 6,870 steps}). */
    public static String grouped(long n, String noun) {
        return String.format(java.util.Locale.ROOT, "%,d", n) + " " + (n == 1 ? noun : noun + "s");
    }
}
