package org.pinlab.testing;

import java.util.stream.LongStream;

/**
 * The seeds a scenario runs with: {@code from..to}, both included, each at least 1 (the seeds of
 * {@code pinlab:run -s} and of a scenario's {@code seeds: N}). Seed {@code n} runs under the
 * seeded random scheduler of seed {@code n}, as {@code pinlab:run -s n} does.
 *
 * @param from the first seed
 * @param to   the last seed
 */
public record Seeds(long from, long to) {

    /**
     * @throws IllegalArgumentException if a seed is below 1 or the range is empty
     */
    public Seeds {
        if (from < 1) {
            throw new IllegalArgumentException("seeds start at 1 (as pinlab:run -s and a scenario's seeds 1..N do);"
                    + " was " + from);
        }
        if (to < from) {
            throw new IllegalArgumentException("the seed range " + from + ".." + to + " is empty; give from <= to,"
                    + " as in seeds(1, 20)");
        }
    }

    /** Seeds {@code from..to}, both included. */
    public static Seeds seeds(long from, long to) {
        return new Seeds(from, to);
    }

    /** The one seed {@code seed}. */
    public static Seeds seed(long seed) {
        return new Seeds(seed, seed);
    }

    /** How many seeds. */
    public int count() {
        return Math.toIntExact(to - from + 1);
    }

    /** The seeds in increasing order. */
    public LongStream stream() {
        return LongStream.rangeClosed(from, to);
    }

    /** {@code 3} or {@code 1..20}. */
    @Override
    public String toString() {
        return from == to ? Long.toString(from) : from + ".." + to;
    }
}
