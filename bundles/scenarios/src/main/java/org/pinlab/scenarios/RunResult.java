package org.pinlab.scenarios;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.finding.Schedule;
import org.pinlab.api.finding.SyscallResult;
import org.pinlab.kernel.RunStats;

/**
 * One run of one scenario under one combination and seed: its findings, the schedule it
 * took (enough to replay it), its trace hash, what it measured, and every error a system
 * call returned to a program ({@code syscallErrors}, part of the verdict as findings are).
 */
public record RunResult(String scenario, String combination, long seed, String scheduler, List<Finding> findings,
                        Schedule schedule, long traceHash, long steps, RunStats stats, List<String> dmesg,
                        List<SyscallResult> syscallErrors) {

    public RunResult {
        syscallErrors = List.copyOf(syscallErrors);
    }

    /** A run in which no system call returned an error. */
    public RunResult(String scenario, String combination, long seed, String scheduler, List<Finding> findings,
                     Schedule schedule, long traceHash, long steps, RunStats stats, List<String> dmesg) {
        this(scenario, combination, seed, scheduler, findings, schedule, traceHash, steps, stats, dmesg, List.of());
    }

    /** Findings by kind, in the kinds' declared order. */
    public Map<FindingKind, Integer> counts() {
        Map<FindingKind, Integer> m = new EnumMap<>(FindingKind.class);
        for (Finding f : findings) {
            m.merge(f.kind(), 1, Integer::sum);
        }
        return m;
    }

    /** The first finding, or null. */
    public Finding first() {
        return findings.isEmpty() ? null : findings.get(0);
    }
}
