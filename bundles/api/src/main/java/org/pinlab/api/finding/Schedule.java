package org.pinlab.api.finding;

import java.util.Arrays;

/**
 * The scheduling decisions of a run: at every point where more than one task could take
 * the next step, the id of the task that did. With the run's seed, a schedule replays the
 * run exactly.
 *
 * <p>The text form is a comma-separated list of task ids where a run of repeats is written
 * {@code id*count}, e.g. {@code 3*12,5,3*4}: short enough to paste into a shell.
 */
public final class Schedule {

    private static final Schedule EMPTY = new Schedule(new int[0]);

    private final int[] choices;

    private Schedule(int[] choices) {
        this.choices = choices;
    }

    public static Schedule of(int... choices) {
        return choices.length == 0 ? EMPTY : new Schedule(choices.clone());
    }

    public static Schedule empty() {
        return EMPTY;
    }

    /** Number of decisions. */
    public int length() {
        return choices.length;
    }

    /** The task chosen at decision {@code i}. */
    public int choice(int i) {
        return choices[i];
    }

    public int[] toArray() {
        return choices.clone();
    }

    /** The first {@code n} decisions. */
    public Schedule prefix(int n) {
        return n >= choices.length ? this : of(Arrays.copyOf(choices, n));
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException naming the offending item and its position
     */
    public static Schedule parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return EMPTY;
        }
        String[] items = t.split(",");
        int[] out = new int[16];
        int n = 0;
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            int star = item.indexOf('*');
            int id;
            int count;
            try {
                id = Integer.parseInt(star < 0 ? item : item.substring(0, star));
                count = star < 0 ? 1 : Integer.parseInt(item.substring(star + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("schedule item " + (i + 1) + " '" + item
                        + "' is not a task id or id*count");
            }
            if (id < 0 || count < 1) {
                throw new IllegalArgumentException("schedule item " + (i + 1) + " '" + item
                        + "': task ids are >= 0 and counts >= 1");
            }
            if ((long) n + count > 100_000_000L) {
                throw new IllegalArgumentException("schedule longer than 100000000 decisions");
            }
            while (n + count > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            Arrays.fill(out, n, n + count, id);
            n += count;
        }
        return new Schedule(Arrays.copyOf(out, n));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < choices.length) {
            int j = i;
            while (j < choices.length && choices[j] == choices[i]) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(choices[i]);
            if (j - i > 1) {
                sb.append('*').append(j - i);
            }
            i = j;
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule s && Arrays.equals(choices, s.choices);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(choices);
    }
}
