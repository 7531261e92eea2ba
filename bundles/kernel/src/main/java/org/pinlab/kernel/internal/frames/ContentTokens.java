package org.pinlab.kernel.internal.frames;

/** Page contents as 64-bit tokens: every write of a page's data stamps a fresh one. */
public final class ContentTokens {

    private long next = 1;

    /** A fresh content token. */
    public long newToken() {
        return next++;
    }
}
