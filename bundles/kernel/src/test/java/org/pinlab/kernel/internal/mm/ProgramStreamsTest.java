package org.pinlab.kernel.internal.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.sim.Proc;
import org.pinlab.sim.SeededRandom;
import org.pinlab.sim.Task;

/**
 * A user program draws from its own stream, split off at boot, so what it does does not
 * depend on what other tasks draw from the run's source in between. The writer's first
 * stores fault the file's pages in, and the buddy allocator hands frames out in fault
 * order, so the frames of the file's pages record which pages the writer touched, in which
 * order.
 */
class ProgramStreamsTest {

    private static final int FILE_PAGES = 64;
    private static final UserPrograms.WriterMix STORES = new UserPrograms.WriterMix(80, 0, 0, 0, 20 * Rig.US);

    /** The frame of every file page after the writer ran 300 µs, with a task drawing {@code draws} times a step beside it. */
    private static int[] framesAfterWriter(int draws) {
        Rig rig = new Rig(4096, FILE_PAGES, Map.of());
        rig.machine.engine().spawn("app/writer", UserPrograms.writer(rig.k, rig.mm, rig.map, STORES), 0);
        if (draws > 0) {
            // another program sharing the run's source: draws from it every 3 µs, allocates nothing
            SeededRandom shared = rig.k.engine.random();
            rig.machine.engine().spawn("noise", new Proc("noise_loop") {
                @Override
                protected int step(Task t) {
                    for (int i = 0; i < draws; i++) {
                        shared.nextLong();
                    }
                    return t.next(3 * Rig.US);
                }
            }, 0);
        }
        rig.runUntil(300 * Rig.US);
        int[] frames = new int[FILE_PAGES];
        for (int i = 0; i < FILE_PAGES; i++) {
            frames[i] = rig.pfnOf(i);
        }
        return frames;
    }

    @Test
    void theWritersStoresDoNotDependOnOtherTasksDrawsFromTheRunsSource() {
        int[] alone = framesAfterWriter(0);
        long touched = Arrays.stream(alone).filter(pfn -> pfn >= 0).count();
        assertTrue(touched > 3 && touched < FILE_PAGES,
                "the writer should have faulted in some but not all pages: " + Arrays.toString(alone));

        assertArrayEquals(alone, framesAfterWriter(1));
        assertArrayEquals(alone, framesAfterWriter(7));
    }

    @Test
    void aWriterThatOnlyStoresAndLoadsIsRefusedBeforeItCanSpin() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UserPrograms.WriterMix(60, 40, 0, 0, 20 * Rig.US));
        assertTrue(e.getMessage().contains("store + load is 100%"), e.getMessage());
        new UserPrograms.WriterMix(60, 39, 0, 0, 20 * Rig.US); // 1% thinking is enough
    }
}
