package org.pinlab.kernel.internal.mm;

import org.pinlab.kernel.Cost;
import org.pinlab.sim.Proc;
import org.pinlab.sim.SeededRandom;
import org.pinlab.sim.Task;

/** The user-space programs scenarios run: a file writer and a memory hog, each a loop of syscalls and stores. */
public final class UserPrograms {

    private UserPrograms() {
    }

    /**
     * What a writer does per operation, in percent (the rest of 100 is thinking), and how long it
     * thinks between operations at most.
     */
    public record WriterMix(int storePct, int loadPct, int fsyncPct, int truncatePct, long maxThinkNs) {
        public WriterMix {
            if (storePct < 0 || loadPct < 0 || fsyncPct < 0 || truncatePct < 0
                    || storePct + loadPct + fsyncPct + truncatePct > 100 || maxThinkNs < 1) {
                throw new IllegalArgumentException("writer mix: store, load, fsync and truncate percentages must be"
                        + " >= 0 and add up to at most 100, think time >= 1 ns; was " + storePct + "/" + loadPct + "/"
                        + fsyncPct + "/" + truncatePct + ", " + maxThinkNs + " ns");
            }
        }
    }

    /** Stores to, loads from and fsyncs a file through its shared mapping, forever (until shutdown). */
    public static Proc writer(Kernel k, Mm mm, Vma map, WriterMix mix) {
        return new Proc("writer_loop") {
            private long fsyncStart;

            @Override
            protected int step(Task t) {
                SeededRandom r = k.engine.random();
                if (pc == 1) {
                    k.metrics.fsyncTook(k.engine.now() - fsyncStart); // fsync(2) returned
                } else if (pc == 2) {
                    map.file.sizePages = map.pages; // ftruncate back up: the tail reads as holes
                    pc = 0;
                    return t.next(1 + r.nextLong(mix.maxThinkNs()));
                }
                if (k.shuttingDown) {
                    return t.ret(); // exit: nothing held between operations
                }
                pc = 0;
                int op = r.nextInt(100);
                long vpn = map.startVpn + r.nextInt(map.pages);
                if (op < mix.storePct()) {
                    return t.call(new UserAccess(k, mm, vpn, true)); // a CPU store: fault, page_mkwrite
                } else if (op < mix.storePct() + mix.loadPct()) {
                    return t.call(new UserAccess(k, mm, vpn, false));
                } else if (op < mix.storePct() + mix.loadPct() + mix.fsyncPct() && map.file != null) {
                    pc = 1;
                    fsyncStart = k.engine.now();
                    return t.call(new Fsync(k, map.file)); // vfs_fsync_range
                } else if (op < mix.storePct() + mix.loadPct() + mix.fsyncPct() + mix.truncatePct() && map.file != null) {
                    pc = 2;
                    return t.call(new TruncatePages(k, map.file, r.nextInt(map.pages))); // ftruncate(2) down
                }
                return t.next(1 + r.nextLong(mix.maxThinkNs()));
            }
        };
    }

    /**
     * Touches {@code pages} of fresh anonymous memory, holds it for up to {@code maxHoldNs},
     * unmaps it, pauses, and again: the memory pressure that sends the machine into reclaim.
     */
    public static Proc hog(Kernel k, Mm mm, int pages, long maxHoldNs) {
        if (pages < 1 || maxHoldNs < 1) {
            throw new IllegalArgumentException("hog: pages and hold time must be positive; was " + pages + ", "
                    + maxHoldNs + " ns");
        }
        return new Proc("hog_loop") {
            private Vma vma;
            private int i;

            @Override
            protected int step(Task t) {
                switch (pc) {
                    case 0:
                        if (k.shuttingDown) {
                            return t.ret();
                        }
                        vma = k.mmap(mm, pages, false, true, null, 0); // mmap(MAP_ANONYMOUS)
                        i = 0;
                        pc = 1;
                        return t.next(k.cost(Cost.CPU_STEP));
                    case 1:
                        if (i < pages && !k.shuttingDown) {
                            return t.call(new UserAccess(k, mm, vma.startVpn + i++, true));
                        }
                        pc = 2;
                        return t.next(1 + k.engine.random().nextLong(maxHoldNs));
                    case 2:
                        k.munmap(mm, vma); // munmap: zap_page_range, pages freed
                        pc = 0;
                        return t.next(1 + k.engine.random().nextLong(maxHoldNs));
                    default:
                        throw new IllegalStateException("hog_loop: bad pc " + pc);
                }
            }
        };
    }

    /** Runs {@code path} once at simulated time {@code at} (a truncate, a hole punch, a sync). */
    public static Proc at(Kernel k, long at, String function, java.util.function.Supplier<Proc> path) {
        return new Proc(function) {
            @Override
            protected int step(Task t) {
                switch (pc) {
                    case 0:
                        pc = 1;
                        return t.next(Math.max(0, at - k.engine.now()));
                    case 1:
                        pc = 2;
                        return t.call(path.get());
                    default:
                        return t.ret();
                }
            }
        };
    }
}
