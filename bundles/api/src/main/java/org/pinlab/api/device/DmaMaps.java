package org.pinlab.api.device;

import java.util.Arrays;
import java.util.Objects;

/**
 * The mappings a driver holds for one range of a buffer that it pins in pieces, as the
 * kernel's long-lived pinners loop over {@code pin_user_pages_fast} until the range is
 * covered: {@code ib_umem_get} (at most a page of {@code struct page *} per call) and
 * {@code i915_gem_userptr_get_pages}. A pin may come back short (the kernel returns how many
 * pages it pinned), so the pieces have any sizes: the next pin starts at {@link #nextFirst()}.
 * A piece released early is {@link #clear cleared}; its place stays. Not thread-safe, like a
 * device's step.
 */
public final class DmaMaps {

    private final int first;
    private final int pages;
    private DmaMap[] maps = new DmaMap[4];
    /** Where each piece starts, relative to {@link #first}: increasing. */
    private int[] starts = new int[4];
    private int size;
    private int pinned;

    /**
     * @param first the buffer page the range starts at
     * @param pages the range's length, at least 1
     */
    public DmaMaps(int first, int pages) {
        if (first < 0 || pages < 1) {
            throw new IllegalArgumentException("a range of " + pages + " pages from page " + first);
        }
        this.first = first;
        this.pages = pages;
    }

    public int first() {
        return first;
    }

    public int pages() {
        return pages;
    }

    /** Pages the pieces cover so far. */
    public int pinned() {
        return pinned;
    }

    /** Pages still to pin. */
    public int remaining() {
        return pages - pinned;
    }

    /** Whether the pieces cover the whole range. */
    public boolean complete() {
        return pinned == pages;
    }

    /** The buffer page the next pin starts at. */
    public int nextFirst() {
        return first + pinned;
    }

    /**
     * Adds the next piece, which must start at {@link #nextFirst()} and fit the range.
     *
     * @return its index
     */
    public int add(DmaMap map) {
        Objects.requireNonNull(map, "map");
        if (map.first() != nextFirst() || map.pages() < 1 || map.pages() > remaining()) {
            throw new IllegalArgumentException("a piece of " + map.pages() + " pages at page " + map.first()
                    + " does not continue the range at page " + nextFirst() + " with " + remaining() + " to go");
        }
        if (size == maps.length) {
            maps = Arrays.copyOf(maps, size * 2);
            starts = Arrays.copyOf(starts, size * 2);
        }
        maps[size] = map;
        starts[size] = pinned;
        pinned += map.pages();
        return size++;
    }

    /** Pieces added so far, released ones included. */
    public int size() {
        return size;
    }

    /** Piece {@code k}, or null once cleared. */
    public DmaMap get(int k) {
        Objects.checkIndex(k, size);
        return maps[k];
    }

    /** Forgets piece {@code k} (it was released). */
    public void clear(int k) {
        Objects.checkIndex(k, size);
        maps[k] = null;
    }

    /** The index of the piece holding page {@code p} of the range (0-based), which must be pinned. */
    public int pieceOf(int p) {
        if (p < 0 || p >= pinned) {
            throw new IndexOutOfBoundsException("page " + p + " of a range with " + pinned + " pages pinned");
        }
        int k = Arrays.binarySearch(starts, 0, size, p);
        return k >= 0 ? k : -k - 2;
    }

    /** Where page {@code p} of the range is within its piece. */
    public int offsetIn(int p) {
        return p - starts[pieceOf(p)];
    }

    /** The first piece still held, or -1. */
    public int firstHeld() {
        for (int k = 0; k < size; k++) {
            if (maps[k] != null) {
                return k;
            }
        }
        return -1;
    }

    /** Whether {@code map} is one of the pieces still held. */
    public boolean holds(DmaMap map) {
        for (int k = 0; k < size; k++) {
            if (maps[k] == map) {
                return true;
            }
        }
        return false;
    }
}
