package org.pinlab.kernel.internal.mm.swap;

import java.util.Arrays;

import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.frames.FrameStore;

/**
 * The four LRU lists ({@code struct lruvec}): inactive/active x anon/file. Each list is a
 * FIFO of (pfn, sequence) entries with lazy deletion: a page leaving a list only loses
 * PG_lru, and a stale entry is skipped when its sequence no longer matches the page's.
 *
 * <p>Departure from the kernel: the kernel threads {@code page->lru} through struct page
 * (16 bytes a page); queues outside the frame store keep our frame at 32 bytes. Order is
 * the kernel's (add at head, scan from tail) except that rotation re-queues at the head.
 */
public final class Lru {

    public static final int INACTIVE_ANON = 0;
    public static final int ACTIVE_ANON = 1;
    public static final int INACTIVE_FILE = 2;
    public static final int ACTIVE_FILE = 3;
    private static final String[] NAMES = {"inactive_anon", "active_anon", "inactive_file", "active_file"};

    /** The sequence lives in flag bits 16-23 (unused by PageFlags). */
    private static final int SEQ_SHIFT = 16;
    private static final int SEQ_MASK = 0xFF << SEQ_SHIFT;

    private final FrameStore frames;
    private final long[][] queue = new long[4][];
    private final int[] head = new int[4];
    private final int[] tail = new int[4];
    private final int[] size = new int[4];

    public Lru(FrameStore frames) {
        this.frames = frames;
        for (int i = 0; i < 4; i++) {
            queue[i] = new long[64];
        }
    }

    public static String name(int list) {
        return NAMES[list];
    }

    /** Which list a page with these flags belongs on ({@code folio_lru_list}). */
    public static int listOf(int flags) {
        boolean anon = (flags & PageFlags.SWAPBACKED) != 0;
        boolean active = (flags & PageFlags.ACTIVE) != 0;
        return (anon ? 0 : 2) + (active ? 1 : 0);
    }

    /** Pages on a list (exact, not counting stale entries). */
    public int size(int list) {
        return size[list];
    }

    /** {@code lruvec_add_folio}: PG_lru set, queued at the head of its list. */
    public void add(int pfn) {
        int f = frames.flags(pfn);
        if ((f & PageFlags.LRU) != 0) {
            throw new IllegalStateException("pfn " + pfn + " is already on an LRU list (" + PageFlags.describe(f) + ")");
        }
        int seq = ((f >>> SEQ_SHIFT) + 1) & 0xFF;
        int list = listOf(f);
        frames.clear(pfn, SEQ_MASK);
        frames.set(pfn, PageFlags.LRU | (seq << SEQ_SHIFT));
        push(list, ((long) seq << 32) | pfn);
        size[list]++;
    }

    /**
     * {@code lruvec_del_folio}: takes a page off its list (for isolation or freeing). Its
     * queue entry becomes stale.
     */
    public void remove(int pfn) {
        if (!frames.testAndClear(pfn, PageFlags.LRU)) {
            throw new IllegalStateException("pfn " + pfn + " is not on an LRU list");
        }
        size[listOf(frames.flags(pfn))]--;
    }

    /**
     * Takes the oldest page of a list off it ({@code isolate_lru_folios} for one page):
     * PG_lru cleared.
     *
     * @return its pfn, or -1 if the list is empty
     */
    public int isolateTail(int list) {
        while (head[list] != tail[list]) {
            long e = queue[list][tail[list]];
            tail[list] = (tail[list] + 1) & (queue[list].length - 1);
            int pfn = (int) e;
            int f = frames.flags(pfn);
            int seq = (int) (e >>> 32);
            if ((f & PageFlags.LRU) != 0 && ((f >>> SEQ_SHIFT) & 0xFF) == seq && listOf(f) == list) {
                frames.clear(pfn, PageFlags.LRU);
                size[list]--;
                return pfn;
            }
        }
        return -1;
    }

    private void push(int list, long entry) {
        long[] q = queue[list];
        int next = (head[list] + 1) & (q.length - 1);
        if (next == tail[list]) {
            grow(list);
            q = queue[list];
            next = (head[list] + 1) & (q.length - 1);
        }
        q[head[list]] = entry;
        head[list] = next;
    }

    private void grow(int list) {
        long[] q = queue[list];
        int n = (head[list] - tail[list]) & (q.length - 1);
        long[] bigger = new long[q.length * 2];
        for (int i = 0; i < n; i++) {
            bigger[i] = q[(tail[list] + i) & (q.length - 1)];
        }
        queue[list] = bigger;
        tail[list] = 0;
        head[list] = n;
    }

    /** Bytes held by the queues, for the memory benchmark. */
    public long bytes() {
        return Arrays.stream(queue).mapToLong(q -> (long) q.length * Long.BYTES).sum();
    }
}
