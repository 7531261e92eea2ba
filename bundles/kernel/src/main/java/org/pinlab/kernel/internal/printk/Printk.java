package org.pinlab.kernel.internal.printk;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.sim.Engine;

/**
 * kernel/printk/printk.c and kernel/panic.c: the kernel log ring and the BUG and WARN
 * reports, which in the model are findings.
 */
public final class Printk {

    /** The capacity of the log ring ({@code printk}'s ring buffer), in lines. */
    public static final int DMESG_LINES = 1_000;

    private final Engine engine;
    /** The kernel log, oldest first, capped at {@link #DMESG_LINES}. */
    private final ArrayDeque<String> dmesg = new ArrayDeque<>();

    public Printk(Engine engine) {
        this.engine = engine;
    }

    /** {@code printk}: a timestamped line in the kernel log; the oldest go when the ring is full. */
    public void log(String line) {
        if (dmesg.size() == DMESG_LINES) {
            dmesg.removeFirst();
        }
        long us = engine.now() / 1_000;
        dmesg.addLast(String.format(Locale.ROOT, "[%6d.%06d] %s", us / 1_000_000, us % 1_000_000, line));
    }

    /** The kernel log, oldest first. */
    public List<String> dmesg() {
        return List.copyOf(dmesg);
    }

    /** {@code BUG()}: the machine stops. */
    public void bug(String function, String message) {
        engine.report(FindingKind.BUG, message, function);
    }

    /** {@code WARN()}. */
    public void warn(String function, String message) {
        engine.report(FindingKind.WARN, message, function);
    }
}
