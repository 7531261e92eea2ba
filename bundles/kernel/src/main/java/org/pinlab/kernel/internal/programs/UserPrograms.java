package org.pinlab.kernel.internal.programs;

import org.pinlab.kernel.Cost;
import org.pinlab.kernel.PagemapReader;
import org.pinlab.kernel.internal.fs.proc.PagemapRead;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.OpenFile;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.GenericPerformWrite;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.kernel.internal.mm.truncate.TruncatePages;
import org.pinlab.sim.Proc;
import org.pinlab.sim.SeededRandom;
import org.pinlab.sim.Task;

/**
 * The user-space programs scenarios run, each a loop of syscalls and stores: a file writer,
 * a memory hog, a mapper that maps and unmaps under {@code mmap_lock}, and a
 * {@code /proc/PID/pagemap} reader.
 *
 * <p>Each program draws its choices (which page, which call, how long to think) from its own
 * stream, split off the run's seeded source when the program is built at boot. A scheduler
 * that reorders tasks therefore changes how the programs interleave, never what each of them
 * does: one machine seed is one workload, and exploration varies only the schedule.
 */
public final class UserPrograms {

    private UserPrograms() {
    }

    /**
     * What a writer does per operation, in percent (the rest of 100 is thinking), and how long it
     * thinks between operations at most.
     */
    public record WriterMix(int storePct, int loadPct, int fsyncPct, int truncatePct, int writePct, long maxThinkNs) {
        public WriterMix {
            if (storePct < 0 || loadPct < 0 || fsyncPct < 0 || truncatePct < 0 || writePct < 0
                    || storePct + loadPct + fsyncPct + truncatePct + writePct > 100 || maxThinkNs < 1) {
                throw new IllegalArgumentException("writer mix: store, load, fsync, truncate and write percentages"
                        + " must be >= 0 and add up to at most 100, think time >= 1 ns; was " + storePct + "/" + loadPct
                        + "/" + fsyncPct + "/" + truncatePct + "/" + writePct + ", " + maxThinkNs + " ns");
            }
            if (storePct + loadPct == 100) {
                // a store or load to a present PTE costs no simulated time (the model charges
                // faults, not the MMU), so a writer that never does anything else would spin
                throw new IllegalArgumentException("writer mix: store + load is 100%, so the writer never lets"
                        + " simulated time pass; leave at least 1% to fsync, truncate, write or think");
            }
        }

        /** A mix without {@code write(2)}. */
        public WriterMix(int storePct, int loadPct, int fsyncPct, int truncatePct, long maxThinkNs) {
            this(storePct, loadPct, fsyncPct, truncatePct, 0, maxThinkNs);
        }
    }

    /** Stores to, loads from and fsyncs a file through its shared mapping, forever (until shutdown). */
    public static Proc writer(Programs k, Mm mm, Vma map, WriterMix mix) {
        // the program's own stream, split off at boot: what it does next does not depend on
        // how the scheduler interleaved the other tasks' draws
        SeededRandom r = k.engine.random().split();
        OpenFile file = map.file != null ? OpenFile.open(map.file) : null; // the program's open(2) of its file
        return new Proc("writer_loop") {
            private long fsyncStart;
            private Fsync fsync;
            private TruncatePages truncate;

            /** Choose and start an operation; after fsync and ftruncate, their returns. */
            private enum Step implements Proc.State { NEXT_OP, FSYNC_RETURNED, TRUNCATE_RETURNED }

            private static final Step[] STEPS = byPc(Step.values());

            @Override
            protected int step(Task t) {
                if (STEPS[pc] == Step.FSYNC_RETURNED) {
                    k.metrics.fsyncTook(k.engine.now() - fsyncStart); // fsync(2) returned
                    k.metrics.returned("fsync", fsync.result);
                    fsync = null;
                } else if (STEPS[pc] == Step.TRUNCATE_RETURNED) {
                    k.metrics.returned("ftruncate", truncate.result);
                    truncate = null;
                    map.file.sizePages = map.pages; // ftruncate back up: the tail reads as holes
                    resume(Step.NEXT_OP);
                    return t.next(1 + r.nextLong(mix.maxThinkNs()));
                }
                if (k.shuttingDown) {
                    return t.ret(); // exit: nothing held between operations
                }
                resume(Step.NEXT_OP);
                int op = r.nextInt(100);
                long vpn = map.startVpn + r.nextInt(map.pages);
                if (op < mix.storePct()) {
                    return t.call(new UserAccess(k.memory, mm, vpn, true)); // a CPU store: fault, page_mkwrite
                } else if (op < mix.storePct() + mix.loadPct()) {
                    return t.call(new UserAccess(k.memory, mm, vpn, false));
                } else if (op < mix.storePct() + mix.loadPct() + mix.fsyncPct() && map.file != null) {
                    resume(Step.FSYNC_RETURNED);
                    fsyncStart = k.engine.now();
                    fsync = new Fsync(k.fsWriteback, file);
                    return t.call(fsync); // vfs_fsync_range
                } else if (op < mix.storePct() + mix.loadPct() + mix.fsyncPct() + mix.truncatePct() && map.file != null) {
                    resume(Step.TRUNCATE_RETURNED);
                    truncate = new TruncatePages(k.truncate, map.file, r.nextInt(map.pages));
                    return t.call(truncate); // ftruncate(2) down
                } else if (op < mix.storePct() + mix.loadPct() + mix.fsyncPct() + mix.truncatePct() + mix.writePct()
                        && map.file != null) {
                    // pwrite(2) of one page through the page cache, not the mapping
                    return t.call(new GenericPerformWrite(k.memory, map.file, map.fileIndex(vpn)));
                }
                return t.next(1 + r.nextLong(mix.maxThinkNs()));
            }
        };
    }

    /**
     * Touches {@code pages} of fresh anonymous memory, holds it for up to {@code maxHoldNs},
     * unmaps it, pauses, and again: the memory pressure that sends the machine into reclaim.
     * Departure: its mmap and munmap skip {@code mmap_lock}, which nothing else in a hog's
     * process waits for.
     */
    public static Proc hog(Programs k, Mm mm, int pages, long maxHoldNs) {
        return hog(k, mm, pages, 1, maxHoldNs, 1, maxHoldNs);
    }

    /** A hog whose holds and pauses are drawn uniformly from the given ranges, in ns. */
    static Proc hog(Programs k, Mm mm, int pages, long minHoldNs, long maxHoldNs, long minPauseNs, long maxPauseNs) {
        return new Stores("hog_loop", k, mm, pages, false, minHoldNs, maxHoldNs, minPauseNs, maxPauseNs);
    }

    /**
     * Maps {@code pages} of anonymous memory, stores to each, thinks, unmaps, thinks, and
     * again: the writer on {@code mmap_lock} that, queued, blocks every later reader
     * (a JIT or an allocator thread in the process). mmap and munmap take the lock for
     * write; the stores fault under it for read.
     */
    public static Proc mapper(Programs k, Mm mm, int pages, long maxThinkNs) {
        return new Stores("mapper_loop", k, mm, pages, true, 1, maxThinkNs, 1, maxThinkNs);
    }

    /**
     * A program's loop over fresh anonymous memory: mmap {@code pages}, make the calls
     * {@link #use} asks for one after another, hold the mapping for a time drawn from
     * [{@code minHoldNs}, {@code maxHoldNs}], munmap it, pause for a time drawn from
     * [{@code minPauseNs}, {@code maxPauseNs}], and again until shutdown. With
     * {@code locked}, mmap and munmap take {@code mmap_lock} for write ({@code vm_mmap_pgoff},
     * {@code vm_munmap}).
     */
    abstract static class AnonymousLoop extends Proc {
        final Programs k;
        final Mm mm;
        final int pages;
        private final boolean locked;
        private final long minHoldNs;
        private final long maxHoldNs;
        private final long minPauseNs;
        private final long maxPauseNs;
        private Vma vma;
        private int calls;
        /** The program's own stream, split off at boot (see {@link UserPrograms#writer}). */
        private final SeededRandom random;

        /** @param maxHoldNs 0: unmap at once after the last call */
        AnonymousLoop(String function, Programs k, Mm mm, int pages, boolean locked, long minHoldNs, long maxHoldNs,
                      long minPauseNs, long maxPauseNs) {
            super(function);
            if (pages < 1 || maxHoldNs < 0 || minPauseNs < 1 || maxPauseNs < minPauseNs
                    || (maxHoldNs > 0 && (minHoldNs < 1 || maxHoldNs < minHoldNs))) {
                throw new IllegalArgumentException(function + ": pages and pause must be positive, hold not negative,"
                        + " each range low to high; was " + pages + " pages, pause " + minPauseNs + "-" + maxPauseNs
                        + " ns, hold " + minHoldNs + "-" + maxHoldNs + " ns");
            }
            this.k = k;
            this.mm = mm;
            this.pages = pages;
            this.locked = locked;
            this.minHoldNs = minHoldNs;
            this.maxHoldNs = maxHoldNs;
            this.minPauseNs = minPauseNs;
            this.maxPauseNs = maxPauseNs;
            this.random = k.engine.random().split();
        }

        /** The {@code i}th call to make on the fresh mapping {@code v}, or null when done with it. */
        abstract Proc use(Vma v, int i);

        /**
         * mmap, the calls, the hold, munmap. The hog's states kept the numbers 0 to 2 they had
         * before {@code mmap_lock} was modelled; the locked mapper's came after, as 4 and 5.
         */
        private enum Step implements Proc.State {
            MMAP(0), USE(1), HELD(2), MMAP_LOCKED(4), MUNMAP_LOCKED(5);

            private final int pc;

            Step(int pc) {
                this.pc = pc;
            }

            @Override
            public int pc() {
                return pc;
            }
        }

        private static final Step[] STEPS = byPc(Step.values());

        @Override
        protected int step(Task t) {
            switch (STEPS[pc]) {
                case MMAP:
                    if (k.shuttingDown) {
                        return t.ret();
                    }
                    if (locked) {
                        resume(Step.MMAP_LOCKED);
                        return t.call(mm.mmapLock.downWrite()); // vm_mmap_pgoff: mmap_write_lock_killable
                    }
                    return map(t);
                case MMAP_LOCKED:
                    return map(t);
                case USE: {
                    Proc call = use(vma, calls);
                    if (call != null) {
                        calls++;
                        return t.call(call);
                    }
                    if (maxHoldNs > 0) {
                        resume(Step.HELD);
                        return t.next(random.between(minHoldNs, maxHoldNs));
                    }
                    return unmapLocked(t);
                }
                case HELD:
                    return unmapLocked(t);
                case MUNMAP_LOCKED:
                    return unmap(t);
                default:
                    throw new IllegalStateException(function() + ": bad pc " + pc);
            }
        }

        private int map(Task t) {
            vma = k.mmap.mmap(mm, pages, false, true, null, 0); // do_mmap(MAP_ANONYMOUS)
            if (locked) {
                mm.mmapLock.upWrite(t);
            }
            calls = 0;
            resume(Step.USE);
            return t.next(k.cost(Cost.CPU_STEP));
        }

        private int unmapLocked(Task t) {
            if (locked) {
                resume(Step.MUNMAP_LOCKED);
                return t.call(mm.mmapLock.downWrite()); // vm_munmap: mmap_write_lock_killable
            }
            return unmap(t);
        }

        private int unmap(Task t) {
            k.mmap.munmap(mm, vma); // do_vmi_munmap -> zap_page_range: the pages are freed
            if (locked) {
                mm.mmapLock.upWrite(t);
            }
            resume(Step.MMAP);
            return t.next(random.between(minPauseNs, maxPauseNs));
        }
    }

    /** The hog and the mapper: one store to each page of the mapping, then hold and pause. */
    private static final class Stores extends AnonymousLoop {

        Stores(String function, Programs k, Mm mm, int pages, boolean locked, long minHoldNs, long maxHoldNs,
               long minPauseNs, long maxPauseNs) {
            super(function, k, mm, pages, locked, minHoldNs, maxHoldNs, minPauseNs, maxPauseNs);
        }

        @Override
        Proc use(Vma v, int i) {
            return i < pages && !k.shuttingDown ? new UserAccess(k.memory, mm, v.startVpn + i, true) : null;
        }
    }

    /**
     * Reads {@code pages} entries of {@code target}'s {@code /proc/PID/pagemap} into a fresh
     * buffer, again and again: mmap the buffer (a large malloc), {@code read(2)} ->
     * {@code pagemap_read} in the given version, munmap it, think. Seed 003.
     */
    public static final class PagemapLoop extends AnonymousLoop {
        private final Mm target;
        private final int entries;
        private final PagemapReader version;
        private PagemapRead read;
        private long reads;

        public PagemapLoop(Programs k, Mm own, Mm target, int pages, PagemapReader version, long maxThinkNs) {
            super("pagemap_loop", k, own, PagemapRead.bufferPages(Math.max(1, pages)), true, 0, 0, 1, maxThinkNs);
            if (pages < 1) {
                throw new IllegalArgumentException("pagemap reader: pages must be positive; was " + pages);
            }
            this.target = target;
            this.entries = pages;
            this.version = version;
        }

        /** The reads that returned. */
        public long reads() {
            return reads;
        }

        /** The last read that returned, or null. */
        public PagemapRead lastRead() {
            return reads == 0 ? null : read;
        }

        @Override
        Proc use(Vma buf, int i) {
            if (i == 0) {
                read = new PagemapRead(k.memory, mm, target, buf.startVpn, entries, version);
                return read; // read(2) -> vfs_read -> pagemap_read
            }
            reads++;
            return null;
        }
    }

    /** Runs {@code path} once at simulated time {@code at} (a truncate, a hole punch, a sync). */
    public static Proc at(Programs k, long at, String function, java.util.function.Supplier<Proc> path) {
        return at(k, at, function, path, null, null);
    }

    /**
     * As {@link #at(Programs, long, String, java.util.function.Supplier)}, for a system call
     * {@code call} whose return value {@code result} reads off the path once it returned.
     */
    public static <P extends Proc> Proc at(Programs k, long at, String function, java.util.function.Supplier<P> path,
                                           String call, java.util.function.ToIntFunction<P> result) {
        return new Proc(function) {
            /** Sleep until the time, run the path, return. */
            private enum Step implements Proc.State { WAIT_UNTIL, RUN_PATH, RETURNED }

            private static final Step[] STEPS = byPc(Step.values());
            private P running;

            @Override
            protected int step(Task t) {
                switch (STEPS[pc]) {
                    case WAIT_UNTIL:
                        resume(Step.RUN_PATH);
                        return t.next(Math.max(0, at - k.engine.now()));
                    case RUN_PATH:
                        resume(Step.RETURNED);
                        running = path.get();
                        return t.call(running);
                    case RETURNED:
                    default:
                        if (result != null) {
                            k.metrics.returned(call, result.applyAsInt(running));
                        }
                        return t.ret();
                }
            }
        };
    }
}
