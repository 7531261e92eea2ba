package org.pinlab.shell.internal.command;

import java.util.Locale;

import org.pinlab.scenarios.report.Counts;

/**
 * The line long work prints every few seconds: how much is done of how much, the rate, and the
 * time left at that rate. Host time, for the user only; the model never sees it.
 */
final class ProgressLine {

    private ProgressLine() {
    }

    /** {@code 120 of 400 runs (30%), 35.2 runs/s, about 8 s left}; no estimate before the first is done. */
    static String of(long done, long total, String noun, long elapsedMillis) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,d of %s (%d%%)", done,
                Counts.grouped(total, noun), total == 0 ? 100 : done * 100 / total));
        if (done > 0 && elapsedMillis > 0) {
            double perSecond = done * 1000.0 / elapsedMillis;
            b.append(String.format(Locale.ROOT, ", %.1f %s/s", perSecond, noun + "s"));
            if (done < total) {
                b.append(", about ").append(left((long) Math.ceil((total - done) / perSecond))).append(" left");
            }
        }
        return b.toString();
    }

    /** Seconds as {@code 8 s}, {@code 3 min 20 s}, {@code 2 h 5 min}. */
    static String left(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
    }
}
