package org.pinlab.scenarios.report;

import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.scenarios.Explorer;
import org.pinlab.scenarios.RunResult;

/**
 * Everything a report shows about one exploration, worked out once: the outcome, the run it
 * reports (the shrunk failure, else the first failing schedule, else none) and the finding it
 * shows (of the target kind, else the run's first).
 *
 * @param outcome     what the explorer found
 * @param depth       the PCT depth the exploration used, for its miss bound
 * @param interrupted whether the user stopped it before its bound
 * @param failing     the run the report is about, or null when no schedule failed
 * @param finding     the finding shown, or null when no schedule failed
 */
public record ExplorationReport(Explorer.Outcome outcome, int depth, boolean interrupted, RunResult failing,
                                Finding finding) {

    /** @param target the kind the exploration looked for, or null for any */
    public static ExplorationReport of(Explorer.Outcome o, int depth, FindingKind target, boolean interrupted) {
        RunResult failing = o.shrunk() != null ? o.shrunk() : o.failing();
        Finding shown = null;
        if (failing != null) {
            FindingKind kind = target != null ? target : failing.first().kind();
            shown = failing.findings().stream().filter(f -> f.kind() == kind).findFirst().orElse(null);
        }
        return new ExplorationReport(o, depth, interrupted, failing, shown);
    }

    /**
     * For PCT: {@code n k^(d-1)}, the number of schedules PCT's guarantee needs, in the worst
     * case, per hit of a depth-d bug ({@code n} tasks, {@code k} steps per run); NaN otherwise.
     */
    public double pctOneIn() {
        return Double.isNaN(outcome.missBound()) ? Double.NaN
                : outcome.tasks() * Math.pow(outcome.steps(), depth - 1);
    }
}
