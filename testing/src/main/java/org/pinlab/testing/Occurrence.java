package org.pinlab.testing;

import java.util.function.IntBinaryOperator;

/**
 * On how many of the seeds run a finding kind must show, for
 * {@link Outcome#assertFindings(org.pinlab.api.finding.FindingKind, Occurrence)}. It counts seeds
 * (runs), not findings: a run that raises the same kind five times counts once, as a scenario's
 * {@code expect:} and the comparison matrix count.
 */
public final class Occurrence {

    /** Given the seeds showing the kind and the seeds run: 0 if met, else how many too many (+) or too few (-). */
    private final IntBinaryOperator miss;
    private final String text;

    private Occurrence(String text, IntBinaryOperator miss) {
        this.text = text;
        this.miss = miss;
    }

    /** On {@code n} seeds or more. */
    public static Occurrence atLeast(int n) {
        requireCount(n);
        return new Occurrence("on at least " + seeds(n), (seen, runs) -> Math.min(0, seen - n));
    }

    /** On {@code n} seeds or fewer. */
    public static Occurrence atMost(int n) {
        requireCount(n);
        return new Occurrence("on at most " + seeds(n), (seen, runs) -> Math.max(0, seen - n));
    }

    /** On exactly {@code n} seeds. */
    public static Occurrence exactly(int n) {
        requireCount(n);
        return new Occurrence("on exactly " + seeds(n), (seen, runs) -> seen - n);
    }

    /** On no seed. */
    public static Occurrence none() {
        return new Occurrence("on no seed", (seen, runs) -> seen);
    }

    /** On every seed run. */
    public static Occurrence onEverySeed() {
        return new Occurrence("on every seed", (seen, runs) -> seen - runs);
    }

    /**
     * 0 when {@code seen} of {@code runs} seeds meets this; above 0 when too many seeds show the
     * kind, below 0 when too few do.
     */
    int miss(int seen, int runs) {
        return miss.applyAsInt(seen, runs);
    }

    /** {@code on at least 1 seed}, as assertion messages say it. */
    @Override
    public String toString() {
        return text;
    }

    private static String seeds(int n) {
        return n + (n == 1 ? " seed" : " seeds");
    }

    private static void requireCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a number of seeds is at least 0; was " + n);
        }
    }
}
