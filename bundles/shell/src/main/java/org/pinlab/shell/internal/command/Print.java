package org.pinlab.shell.internal.command;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.SyscallResult;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.kernel.RunStats;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.report.Counts;
import org.pinlab.scenarios.report.Report;

/** How the commands print runs, findings and figures, so every command reads the same. */
final class Print {

    private Print() {
    }

    /** Simulated time as people read it: 18.51 ms, 74.9 us, 2.00 s. */
    static String ns(long ns) {
        if (ns >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
        }
        if (ns >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        if (ns >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        return ns + " ns";
    }

    /**
     * {@code p50 X p99 Y}. Where the run sampled none the caller prints n/a instead: no page
     * was written back (a writeback latency is never 0), or no fsync was called (an fsync
     * can take 0 ns: tmpfs's noop_fsync).
     */
    static String latencies(long p50Ns, long p99Ns) {
        return "p50 " + ns(p50Ns) + " p99 " + ns(p99Ns);
    }

    static String kinds(Map<FindingKind, Integer> byKind) {
        return Report.countsByKind(byKind);
    }

    /** A run: what ran, its findings with their backtraces, what it measured. */
    static void run(PrintStream out, RunResult r) {
        out.printf("%s / %s, seed %d, %s scheduler%n", r.scenario(), r.combination(), r.seed(), r.scheduler());
        RunStats st = r.stats();
        out.printf("  %s simulated in %,d steps, trace hash %016x%n", ns(st.simulatedNs()), r.steps(), r.traceHash());
        if (r.findings().isEmpty()) {
            out.println("  no findings");
        } else {
            out.println("  findings: " + kinds(r.counts()));
            // the first finding of each kind, the gravest kind first, as dmesg would show it
            for (FindingKind kind : r.counts().keySet()) {
                Finding first = r.findings().stream().filter(f -> f.kind() == kind).findFirst().orElseThrow();
                for (String line : first.describe().split("\n")) {
                    out.println("  " + line);
                }
            }
        }
        // what the programs' system calls returned: part of the verdict, as the findings are
        for (SyscallResult e : r.syscallErrors()) {
            out.println("  syscall error: " + e.task() + ": " + e.call() + " returned " + Errno.describe(e.result())
                    + (e.count() == 1 ? " once, at " : " " + e.count() + " times, first at ") + ns(e.firstNs()));
        }
        out.printf("  DMA %.1f MiB/s, writeback %s, fsync %s (%s)%n", st.dmaMibPerSecond(),
                st.writebackP99Ns() == 0 ? "n/a" : latencies(st.writebackP50Ns(), st.writebackP99Ns()),
                st.fsyncCalls() == 0 ? "n/a" : latencies(st.fsyncP50Ns(), st.fsyncP99Ns()),
                Counts.of(st.fsyncCalls(), "call"));
        out.printf("  pins acquired %d, released %d; unreclaimable %d; peak DMA pages %d, bounce pages %d, copied %d bytes%n",
                st.pinsAcquired(), st.pinsReleased(), st.unreclaimable(), st.peakDmaPages(), st.peakBouncePages(),
                st.copyBytes());
    }
}
