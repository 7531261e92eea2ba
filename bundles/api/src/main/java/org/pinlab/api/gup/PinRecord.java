package org.pinlab.api.gup;

/**
 * One outstanding GUP grab: who took which pages, how, and when. Released exactly the way
 * it was taken, whatever strategy is active at release time.
 *
 * @param id       unique per machine, in grab order
 * @param owner    the device or task that took it, e.g. {@code mlx5_0}
 * @param pfns     the pages, in address order
 * @param foll     the {@link Foll} flags it was taken with
 * @param takenAt  simulated time of the grab
 */
public record PinRecord(long id, String owner, int[] pfns, int foll, long takenAt) {

    public boolean longterm() {
        return (foll & Foll.LONGTERM) != 0;
    }

    public boolean pinned() {
        return (foll & Foll.PIN) != 0;
    }

    @Override
    public String toString() {
        return "pin#" + id + " " + owner + " " + pfns.length + " pages " + Foll.describe(foll) + " at " + takenAt + " ns";
    }
}
