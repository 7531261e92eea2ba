package org.pinlab.gup.internal;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.FolioCounters;

/**
 * In-memory folio counters for tests: every frame is a small page with refcount 1 (mapped
 * once), except one large folio whose head holds the counts (its tail pages keep 0, as in
 * the kernel). Rejects counter access through a tail page, so a layout that forgets
 * {@code compound_head} fails loudly.
 */
final class FakeFolioCounters implements FolioCounters {

    /** A finding raised through {@link #report}. */
    record Report(FindingKind kind, String message) {
    }

    /** The default machine: 2048 frames, pfns 512..1023 one order-9 folio (a 2 MiB THP). */
    static final int LARGE_HEAD = 512;
    static final int LARGE_ORDER = 9;

    final int[] refcount;
    final int[] pincount;
    final boolean[] dirty;
    final int largeHead;
    final int largeOrder;
    /** "function: message" of every WARN, in order. */
    final List<String> warnings = new ArrayList<>();
    final List<Report> reports = new ArrayList<>();
    /** Every pfn passed to markDirtyLocked, in order. */
    final List<Integer> dirtied = new ArrayList<>();
    /** Heads whose refcount reached zero through putRefs. */
    final List<Integer> freed = new ArrayList<>();
    /** "head xrefs" of every putRefs, in order. */
    final List<String> puts = new ArrayList<>();
    long time;
    /** The shared zero page's pfn, or -1 for none. */
    int zeroPage = -1;

    FakeFolioCounters() {
        this(2048, LARGE_HEAD, LARGE_ORDER);
    }

    FakeFolioCounters(int frames, int largeHead, int largeOrder) {
        this.refcount = new int[frames];
        this.pincount = new int[frames];
        this.dirty = new boolean[frames];
        this.largeHead = largeHead;
        this.largeOrder = largeOrder;
        for (int pfn = 0; pfn < frames; pfn++) {
            refcount[pfn] = compoundHead(pfn) == pfn ? 1 : 0;
        }
    }

    private boolean inLarge(int pfn) {
        return pfn >= largeHead && pfn < largeHead + (1 << largeOrder);
    }

    private int head(int head) {
        if (compoundHead(head) != head) {
            throw new AssertionError("folio counter of tail page " + head + " (head " + compoundHead(head) + ")");
        }
        return head;
    }

    @Override
    public int compoundHead(int pfn) {
        return inLarge(pfn) ? largeHead : pfn;
    }

    @Override
    public boolean isLarge(int pfn) {
        return inLarge(pfn);
    }

    @Override
    public int nrPages(int head) {
        return inLarge(head(head)) ? 1 << largeOrder : 1;
    }

    @Override
    public int refcount(int head) {
        return refcount[head(head)];
    }

    @Override
    public void addRefs(int head, int refs) {
        refcount[head(head)] += refs;
    }

    @Override
    public void putRefs(int head, int refs) {
        puts.add(head + " x" + refs);
        refcount[head(head)] -= refs;
        if (refcount[head] < 0) {
            throw new AssertionError("refcount underflow on " + head + ": " + refcount[head]);
        }
        if (refcount[head] == 0) {
            freed.add(head);
        }
    }

    @Override
    public int pincount(int head) {
        if (!inLarge(head(head))) {
            throw new AssertionError("_pincount of small page " + head);
        }
        return pincount[head];
    }

    @Override
    public void addPincount(int head, int delta) {
        if (!inLarge(head(head))) {
            throw new AssertionError("_pincount of small page " + head);
        }
        pincount[head] += delta;
    }

    @Override
    public void markDirtyLocked(int pfn) {
        dirtied.add(pfn);
        dirty[pfn] = true;
    }

    @Override
    public boolean isDirty(int pfn) {
        return dirty[pfn];
    }

    @Override
    public long now() {
        return time;
    }

    @Override
    public void warn(String function, String message) {
        warnings.add(function + ": " + message);
    }

    @Override
    public void report(FindingKind kind, String message) {
        reports.add(new Report(kind, message));
    }

    @Override
    public boolean isZeroPage(int pfn) {
        return pfn == zeroPage;
    }
}
