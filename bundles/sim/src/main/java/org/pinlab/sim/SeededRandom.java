package org.pinlab.sim;

/**
 * SplitMix64 (Steele, Lea, Flood 2014). Written out here rather than borrowed from the JDK
 * so that a seed gives the same numbers on every JDK, which trace hashes depend on.
 */
public final class SeededRandom {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        return (int) nextLong(bound);
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's rejection). */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        long m = bound - 1;
        long r = nextLong() >>> 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        long u = r;
        while (u - (r = u % bound) + m < 0) {
            u = nextLong() >>> 1;
        }
        return r;
    }

    /** Uniform in [lo, hi]. */
    public long between(long lo, long hi) {
        if (hi < lo) {
            throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        }
        return lo + nextLong(hi - lo + 1);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** True with probability p. */
    public boolean chance(double p) {
        return nextDouble() < p;
    }

    /** An independent stream, so that one consumer's draws never shift another's. */
    public SeededRandom split() {
        return new SeededRandom(nextLong() ^ 0x5DEECE66DL);
    }
}
