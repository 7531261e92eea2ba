package org.pinlab.scenarios;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.sim.Scheduler;

/** Wraps a scheduler and records which candidate index it took at each decision. */
final class RecordingScheduler implements Scheduler {
    private final Scheduler inner;
    private final List<int[]> dev = new ArrayList<>();

    RecordingScheduler(Scheduler inner) {
        this.inner = inner;
    }

    @Override
    public void onSpawn(org.pinlab.sim.Task task) {
        inner.onSpawn(task);
    }

    @Override
    public int choose(int[] candidates, int n, long decision, long step, int previous) {
        int i = inner.choose(candidates, n, decision, step, previous);
        if (i != 0) {
            dev.add(new int[] {(int) decision, i});
        }
        return i;
    }

    int[][] deviations() {
        int[][] out = new int[2][dev.size()];
        for (int i = 0; i < dev.size(); i++) {
            out[0][i] = dev.get(i)[0];
            out[1][i] = dev.get(i)[1];
        }
        return out;
    }

    @Override
    public String describe() {
        return inner.describe();
    }
}
