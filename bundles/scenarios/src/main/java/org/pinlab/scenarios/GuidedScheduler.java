package org.pinlab.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.pinlab.sim.Scheduler;

/** Takes the earliest candidate except at the given decisions, where it takes the given index. */
final class GuidedScheduler implements Scheduler {
    private final Map<Long, Integer> plan = new TreeMap<>();
    final List<Integer> branching = new ArrayList<>();
    int tasksSeen;

    GuidedScheduler(int[] decisions, int[] indices) {
        for (int i = 0; i < decisions.length; i++) {
            plan.put((long) decisions[i], indices[i]);
        }
    }

    @Override
    public void onSpawn(org.pinlab.sim.Task task) {
        tasksSeen++;
    }

    @Override
    public int choose(int[] candidates, int n, long decision, long step, int previous) {
        if (branching.size() < 100_000) {
            branching.add(n);
        }
        Integer idx = plan.get(decision);
        return idx != null && idx < n ? idx : 0;
    }

    @Override
    public String describe() {
        return plan.isEmpty() ? "earliest-first" : "earliest-first with " + plan.size() + " preemptions";
    }
}
