package org.pinlab.kernel.internal.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.pinlab.api.errno.Errno;

/** lib/errseq.c (v6.12): errseq_set, errseq_sample, errseq_check. */
class ErrseqTest {

    private static final int EIO = Errno.EIO.negative();
    private static final int ENOSPC = Errno.ENOSPC.negative();

    @Test
    void errseqSetCountsAnErrorOnlyAfterTheLastOneWasSeen() {
        int once = Errseq.set(0, EIO);
        assertEquals(once, Errseq.set(once, EIO), "the same unseen error again: no change");
        int other = Errseq.set(once, ENOSPC);
        assertEquals(-ENOSPC, other & Errseq.MAX_ERRNO, "the latest errno wins");
        assertEquals(once & ~Errseq.MAX_ERRNO, other & ~Errseq.MAX_ERRNO, "unseen: the counter stays");
        int seen = Errseq.seen(other);
        int after = Errseq.set(seen, EIO);
        assertEquals((seen & ~(Errseq.MAX_ERRNO | Errseq.SEEN)) + Errseq.CTR_INC, after & ~Errseq.MAX_ERRNO,
                "seen: the counter moves and SEEN is cleared");
        assertThrows(IllegalArgumentException.class, () -> Errseq.set(0, 0));
    }

    @Test
    void errseqSampleHidesASeenErrorButNotAnUnseenOne() {
        int unseen = Errseq.set(0, EIO);
        assertEquals(0, Errseq.sample(unseen), "nobody saw it: a new opener will");
        assertEquals(EIO, Errseq.check(unseen, Errseq.sample(unseen)));
        int seen = Errseq.seen(unseen);
        assertEquals(seen, Errseq.sample(seen));
        assertEquals(0, Errseq.check(seen, Errseq.sample(seen)), "a new opener does not see an old error");
        assertNotEquals(0, Errseq.check(Errseq.set(seen, EIO), seen), "but it sees the next one");
    }
}
