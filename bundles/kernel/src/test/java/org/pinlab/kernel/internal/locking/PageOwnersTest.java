package org.pinlab.kernel.internal.locking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.sim.Engine;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.SeededRandom;
import org.pinlab.sim.Task;

class PageOwnersTest {

    @Test
    void agreesWithAReferenceMapThroughGrowthAndRemovals() {
        Engine e = new Engine(0, Schedulers.earliestFirst(), EngineConfig.DEFAULT);
        Task[] tasks = new Task[4];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = e.spawn("t" + i, Script.of("idle"), 0);
        }
        PageOwners owners = new PageOwners();
        Map<Integer, Task> reference = new HashMap<>();
        SeededRandom rnd = new SeededRandom(42);
        for (int i = 0; i < 200_000; i++) {
            // a small key range, so probe runs collide and removals shift entries back
            int pfn = rnd.nextInt(300) * 64;
            if (rnd.nextInt(3) == 0) {
                assertSame(reference.remove(pfn), owners.remove(pfn));
            } else {
                Task t = tasks[rnd.nextInt(tasks.length)];
                reference.put(pfn, t);
                owners.put(pfn, t);
            }
            if (i % 1000 == 0) {
                for (int k = 0; k < 300; k++) {
                    assertSame(reference.get(k * 64), owners.get(k * 64), "pfn " + k * 64 + " at op " + i);
                }
            }
            assertEquals(reference.size(), owners.size());
        }
    }
}
