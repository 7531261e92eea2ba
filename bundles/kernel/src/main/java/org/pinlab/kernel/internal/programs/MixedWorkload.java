package org.pinlab.kernel.internal.programs;

import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.gup.GetUserPages;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Proc;
import org.pinlab.sim.SeededRandom;
import org.pinlab.sim.Task;

/**
 * A busy mixed workload over one mount: writer processes storing to and loading from
 * shared file mappings with the odd fsync and truncate, an anonymous-memory hog that
 * pushes the machine into reclaim, and optionally legacy DMA devices that take plain
 * references with get_user_pages, write by DMA and release with set_page_dirty_lock +
 * put_page. Every choice comes from the run's seeded source, each program drawing from its
 * own stream split off it at boot. Used by the determinism test
 * and the kernel benchmark.
 *
 * @param writers      writer processes, one file each
 * @param filePages    pages per file
 * @param hogPages     anonymous pages the hog touches per burst (0: no hog)
 * @param devices      legacy DMA devices (0: none)
 * @param maxThinkNs   a writer's pause between operations, drawn from [1, maxThinkNs]
 */
public record MixedWorkload(int writers, int filePages, int hogPages, int devices, long maxThinkNs) {

    public MixedWorkload {
        if (writers < 1 || filePages < 1 || hogPages < 0 || devices < 0 || maxThinkNs < 1) {
            throw new IllegalArgumentException("workload needs writers >= 1, filePages >= 1, hogPages >= 0,"
                    + " devices >= 0, maxThinkNs >= 1; was " + this);
        }
    }

    /** Creates the files, processes and tasks on a mounted filesystem. */
    public void install(Programs k, Mount mount) {
        Engine e = k.engine;
        Mm[] mms = new Mm[writers];
        Vma[] maps = new Vma[writers];
        for (int i = 0; i < writers; i++) {
            Inode file = k.filemap.createFile(mount, filePages);
            mms[i] = k.mmap.newMm("writer" + i);
            maps[i] = k.mmap.mmap(mms[i], filePages, true, true, file, 0);
            e.spawn("writer" + i, writer(k, mms[i], maps[i], maxThinkNs), e.random().nextInt(1000));
        }
        if (hogPages > 0) {
            e.spawn("hog", hog(k, k.mmap.newMm("hog"), hogPages), e.random().nextInt(1000));
        }
        for (int d = 0; d < devices; d++) {
            e.spawn("dma" + d, new LegacyDevice(k, mms, maps), e.random().nextInt(100_000));
        }
    }

    /** The writer of the mixed workload: mostly stores and loads, the odd fsync and truncate. */
    public static Proc writer(Programs k, Mm mm, Vma map, long maxThinkNs) {
        return UserPrograms.writer(k, mm, map, new UserPrograms.WriterMix(65, 25, 7, 2, maxThinkNs));
    }

    /** The hog of the mixed workload: touches a burst of anonymous memory, holds it 0.1-2 ms, unmaps it, pauses 0.1-1 ms. */
    public static Proc hog(Programs k, Mm mm, int pages) {
        return UserPrograms.hog(k, mm, pages, 100_000, 2_000_000, 100_000, 1_000_000);
    }

    /** get_user_pages(FOLL_WRITE) with a plain reference, DMA later, set_page_dirty_lock + put_page. */
    static final class LegacyDevice extends Proc {
        private final Programs k;
        private final Mm[] mms;
        private final Vma[] maps;
        /** The device's own stream, split off at boot, as {@link UserPrograms#writer} has. */
        private final SeededRandom r;
        private GetUserPages gup;
        private int pfn;

        LegacyDevice(Programs k, Mm[] mms, Vma[] maps) {
            super("legacy_dma");
            this.k = k;
            this.mms = mms;
            this.maps = maps;
            this.r = k.engine.random().split();
        }

        /** Take a page by GUP, write it by DMA some time later, then {@code set_page_dirty_lock} and put it. */
        private enum Step implements Proc.State { GET_USER_PAGES, GUP_RETURNED, DMA_WRITE, SET_PAGE_DIRTY }

        private static final Step[] STEPS = byPc(Step.values());

        @Override
        protected int step(Task t) {
            switch (STEPS[pc]) {
                case GET_USER_PAGES:
                    if (k.shuttingDown) {
                        return t.ret(); // every page it took was released in SET_PAGE_DIRTY
                    }
                    int target = r.nextInt(maps.length);
                    int index = r.nextInt(maps[target].pages);
                    gup = new GetUserPages(k.gup, mms[target], maps[target].startVpn + index, 1, true, p -> {
                        k.refs.getPage(p); // FOLL_GET
                        return true;
                    });
                    resume(Step.GUP_RETURNED);
                    return t.call(gup);
                case GUP_RETURNED:
                    if (gup.result != 1) {
                        resume(Step.GET_USER_PAGES);
                        return t.next(r.between(10_000, 100_000));
                    }
                    pfn = gup.pages()[0];
                    resume(Step.DMA_WRITE);
                    return t.next(r.between(100_000, 3_000_000)); // the DMA happens some time later
                case DMA_WRITE:
                    k.devices.dmaWrite(pfn);
                    resume(Step.SET_PAGE_DIRTY);
                    return t.call(k.pageLocks.lockPage(pfn)); // set_page_dirty_lock
                case SET_PAGE_DIRTY:
                    k.filemap.setPageDirty(pfn);
                    k.pageLocks.unlockPage(pfn);
                    k.refs.putPage(pfn);
                    resume(Step.GET_USER_PAGES);
                    return t.next(r.between(10_000, 500_000));
                default:
                    throw new IllegalStateException("legacy_dma: bad pc " + pc);
            }
        }
    }
}
