package org.pinlab.kernel.internal.mm;

/**
 * {@code errseq_t} (lib/errseq.c, v6.12): an error and a sequence in one int, so that every
 * opener of a file learns of a writeback error once. The low 12 bits hold the latest errno
 * ({@code MAX_ERRNO} = 4095), bit 12 says someone has seen it ({@code ERRSEQ_SEEN}), and the
 * bits above count the errors recorded after one was seen ({@code ERRSEQ_CTR_INC}).
 */
public final class Errseq {

    static final int MAX_ERRNO = 4095;
    static final int SEEN = 1 << 12;
    static final int CTR_INC = 1 << 13;

    private Errseq() {
    }

    /**
     * {@code errseq_set}: records {@code err} (negative); the counter moves only if the
     * previous error was seen, so an unseen error is not counted twice.
     */
    public static int set(int old, int err) {
        if (err == 0 || -err > MAX_ERRNO || err > 0) {
            throw new IllegalArgumentException("errseq_set of " + err); // the kernel WARNs and records nothing
        }
        int updated = (old & ~(MAX_ERRNO | SEEN)) | -err;
        if ((old & SEEN) != 0) {
            updated += CTR_INC;
        }
        return updated;
    }

    /** {@code errseq_sample}: what an opener starts from; an error nobody has seen yet is still news to it. */
    public static int sample(int current) {
        return (current & SEEN) == 0 ? 0 : current;
    }

    /** {@code errseq_check}: the error recorded since {@code since}, or 0. */
    public static int check(int current, int since) {
        return current == since ? 0 : -(current & MAX_ERRNO);
    }

    /** The value {@code errseq_check_and_advance} leaves in the mapping: the error marked seen. */
    public static int seen(int current) {
        return current | SEEN;
    }
}
