package org.pinlab.api.mm;

/**
 * The physical memory of one machine: how many 4 KiB frames each zone has and the
 * zone watermarks. Frames are numbered from 0; the NORMAL zone comes first.
 *
 * @param normalFrames  frames in ZONE_NORMAL
 * @param movableFrames frames in ZONE_MOVABLE (0 for none)
 * @param minPermille   min watermark, in thousandths of the zone's frames
 * @param lowPermille   low watermark: below it kswapd is woken
 * @param highPermille  high watermark: kswapd reclaims until free memory is back above it
 */
public record MemoryLayout(long normalFrames, long movableFrames,
                           int minPermille, int lowPermille, int highPermille) {

    /** The largest order the buddy allocator serves (the kernel's MAX_ORDER - 1 before 6.4). */
    public static final int MAX_ORDER = 10;
    /** Bytes in a base page. */
    public static final int PAGE_SIZE = 4096;
    /** Order of a PMD-sized transparent huge page (2 MiB). */
    public static final int HPAGE_PMD_ORDER = 9;

    public MemoryLayout {
        if (normalFrames <= 0) {
            throw new IllegalArgumentException("normalFrames must be positive, was " + normalFrames);
        }
        if (movableFrames < 0) {
            throw new IllegalArgumentException("movableFrames must not be negative, was " + movableFrames);
        }
        if (normalFrames + movableFrames > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " frames (8 TiB), was "
                    + (normalFrames + movableFrames));
        }
        if (!(0 <= minPermille && minPermille <= lowPermille && lowPermille <= highPermille && highPermille < 1000)) {
            throw new IllegalArgumentException("watermarks must satisfy 0 <= min <= low <= high < 1000 permille, were "
                    + minPermille + "/" + lowPermille + "/" + highPermille);
        }
    }

    /** A layout with only ZONE_NORMAL and the kernel's usual proportions of watermarks. */
    public static MemoryLayout normalOnly(long frames) {
        return new MemoryLayout(frames, 0, 10, 20, 30);
    }

    public long totalFrames() {
        return normalFrames + movableFrames;
    }

    /** First frame number of a zone. */
    public long zoneStart(Zone zone) {
        return zone == Zone.NORMAL ? 0 : normalFrames;
    }

    public long zoneFrames(Zone zone) {
        return zone == Zone.NORMAL ? normalFrames : movableFrames;
    }

    /** The zone a frame belongs to. */
    public Zone zoneOf(long pfn) {
        return pfn < normalFrames ? Zone.NORMAL : Zone.MOVABLE;
    }
}
