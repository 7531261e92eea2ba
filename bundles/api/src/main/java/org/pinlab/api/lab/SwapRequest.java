package org.pinlab.api.lab;

import java.util.Objects;

/**
 * One change of a chosen family's active implementation, as the lab took it: numbered in the
 * order the requests were made, whatever order ConfigAdmin delivered its updates in.
 *
 * @param request the request's number, growing by one per change since the lab started
 * @param family  the family's name
 * @param from    the configured implementation before
 * @param to      the one requested
 * @param via     {@code use} for {@link Lab#use}, {@code configuration} for an edit of the PID
 *                ({@code config:property-set}, a file in {@code etc/})
 */
public record SwapRequest(long request, String family, String from, String to, String via) {

    public SwapRequest {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(via, "via");
    }

    /** {@code #12 release: legacy -> tracked}. */
    public String describe() {
        return "#" + request + " " + family + ": " + from + " -> " + to + ("use".equals(via) ? "" : " (" + via + ")");
    }
}
