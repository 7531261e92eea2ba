package org.pinlab.kernel.internal.programs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.kernel.internal.Rig;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
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
        rig.machine.engine().spawn("app/writer", UserPrograms.writer(rig.k.programs, rig.mm, rig.map, STORES), 0);
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

    /**
     * Every 5 µs for 400 µs, how many pages the hog's process has mapped, and the frame behind
     * its first one: when the hog maps, holds and unmaps, with a task drawing {@code draws} times
     * a step from the run's source beside it.
     */
    private static long[] hogTimeline(int draws) {
        Rig rig = new Rig(4096, 8, Map.of());
        Mm hogMm = rig.k.mmap.newMm("hog");
        rig.machine.engine().spawn("hog/hog", UserPrograms.hog(rig.k.programs, hogMm, 16, 40 * Rig.US), 0);
        SeededRandom shared = rig.k.engine.random();
        long[] samples = new long[80];
        rig.machine.engine().spawn("sampler", new Proc("sampler_loop") {
            private int i;

            @Override
            protected int step(Task t) {
                for (int d = 0; d < draws; d++) {
                    shared.nextLong();
                }
                if (i == samples.length) {
                    return t.ret();
                }
                long pages = 0;
                int firstPfn = -1;
                for (Vma v : hogMm.vmas()) {
                    pages += v.pages;
                    if (firstPfn < 0) {
                        firstPfn = v.pfn[0];
                    }
                }
                samples[i++] = pages << 32 | (firstPfn & 0xffffffffL);
                return t.next(5 * Rig.US);
            }
        }, 1);
        rig.runUntil(400 * Rig.US);
        return samples;
    }

    @Test
    void theHogsHoldsAndPausesDoNotDependOnOtherTasksDrawsFromTheRunsSource() {
        long[] alone = hogTimeline(0);
        long distinct = Arrays.stream(alone).map(v -> v >>> 32).distinct().count();
        assertTrue(distinct > 1, "the hog should map and unmap within the window: " + Arrays.toString(alone));

        assertArrayEquals(alone, hogTimeline(1));
        assertArrayEquals(alone, hogTimeline(5));
    }

    @Test
    void aWriterThatOnlyStoresAndLoadsIsRefusedBeforeItCanSpin() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UserPrograms.WriterMix(60, 40, 0, 0, 20 * Rig.US));
        assertTrue(e.getMessage().contains("store + load is 100%"), e.getMessage());
        new UserPrograms.WriterMix(60, 39, 0, 0, 20 * Rig.US); // 1% thinking is enough
    }
}
