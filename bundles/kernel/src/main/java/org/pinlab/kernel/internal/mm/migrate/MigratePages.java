package org.pinlab.kernel.internal.mm.migrate;

import java.util.Arrays;

import org.pinlab.api.errno.Errno;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code migrate_pages} with MIGRATE_SYNC (mm/migrate.c, v6.12), as {@code migrate_pages_sync}
 * runs it: first a MIGRATE_ASYNC batch over every folio, up to {@code NR_MAX_MIGRATE_ASYNC_RETRY}
 * (3) passes, then each folio still there one by one in MIGRATE_SYNC, up to
 * {@code NR_MAX_MIGRATE_SYNC_RETRY} (7) passes, sleeping on its lock and its writeback. A try
 * that meets unexpected references (-EAGAIN) is retried on the next pass; a permanent failure
 * is not; -ENOMEM (no target page) ends the whole call. Counts {@code PGMIGRATE_SUCCESS} and
 * {@code PGMIGRATE_FAIL} per base page, as {@code migrate_pages} does at its end. Each try is
 * one step. Departure: the async batch's unmap-all-then-move-all is one try per folio here.
 */
public final class MigratePages extends Proc {

    /** {@code NR_MAX_MIGRATE_ASYNC_RETRY}. */
    static final int ASYNC_PASSES = 3;
    /** {@code NR_MAX_MIGRATE_SYNC_RETRY}: {@code NR_MAX_MIGRATE_PAGES_RETRY} (10) minus the async passes. */
    static final int SYNC_PASSES = 7;

    private static final byte PENDING = 0;
    private static final byte ASYNC_GAVE_UP = 1;
    private static final byte MIGRATED = 2;
    private static final byte FAILED = 3;

    private final Migrate k;
    private final int[] folios;
    private final int count;
    private final byte[] state;
    private int pass;
    private int at;
    private int succeededPages;
    private int failedPages;
    private int failed;
    /** Pages of this async pass that met -EAGAIN ({@code nr_retry_pages}), counted as failed if -ENOMEM ends it. */
    private int retryPages;
    /** 0 if every folio migrated, else the number that did not or -ENOMEM ({@code migrate_pages}' return). */
    public int result;

    MigratePages(Migrate k, int[] folios, int count) {
        super("migrate_pages");
        this.k = k;
        this.folios = Arrays.copyOf(folios, count);
        this.count = count;
        this.state = new byte[count];
    }

    /** The folios that did not migrate, still isolated: the caller puts them back ({@code putback_movable_pages}). */
    public int[] remaining() {
        int[] out = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (state[i] != MIGRATED) {
                out[n++] = folios[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The async batch's tries; then per folio: lock it, wait for its writeback, try; then the counts. */
    private enum Step implements Proc.State { ASYNC_TRY, SYNC_LOCK, SYNC_WRITEBACK, SYNC_TRY, END }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case ASYNC_TRY: {
                // migrate_pages_batch(MIGRATE_ASYNC, NR_MAX_MIGRATE_ASYNC_RETRY) over the whole list
                int i = next(at, PENDING);
                if (i < 0 && ++pass < ASYNC_PASSES) {
                    i = next(0, PENDING); // the next pass retries what met -EAGAIN
                    retryPages = 0;
                }
                if (i < 0) {
                    // the batch is over: what is left is retried folio by folio, synchronously
                    pass = 0;
                    at = next(0, PENDING, ASYNC_GAVE_UP);
                    if (at < 0) {
                        return done(t, failed);
                    }
                    resume(Step.SYNC_WRITEBACK);
                    return t.call(k.pageLocks.lockPage(folios[at]));
                }
                at = i + 1;
                int rc = k.tryMove(folios[i], false);
                if (rc == Migrate.SUCCESS) {
                    state[i] = MIGRATED;
                    succeededPages++; // small folios only: one base page each
                    return t.next(k.cost(Cost.PAGE_COPY)); // folio_copy
                }
                if (rc == Errno.ENOMEM.negative()) {
                    failedPages += retryPages;
                    return outOfMemory(t, i);
                }
                if (rc == Errno.EAGAIN.negative()) {
                    retryPages++;
                } else {
                    state[i] = ASYNC_GAVE_UP; // a permanent failure leaves the batch; the sync tries take it again
                }
                return t.next(k.cost(Cost.CPU_STEP));
            }
            case SYNC_LOCK:
                resume(Step.SYNC_WRITEBACK);
                return t.call(k.pageLocks.lockPage(folios[at])); // folio_lock: MIGRATE_SYNC may sleep
            case SYNC_WRITEBACK:
                resume(Step.SYNC_TRY);
                return t.call(k.pageLocks.waitOnPageWriteback(folios[at])); // folio_wait_writeback
            case SYNC_TRY: {
                int rc = k.tryMove(folios[at], true);
                if (rc == Migrate.SUCCESS) {
                    state[at] = MIGRATED;
                    succeededPages++;
                    return nextSyncFolio(t, k.cost(Cost.PAGE_COPY));
                }
                k.pageLocks.unlockPage(folios[at]); // migrate_folio_undo_src
                if (rc == Errno.ENOMEM.negative()) {
                    return outOfMemory(t, at);
                }
                if (rc == Errno.EAGAIN.negative() && ++pass < SYNC_PASSES) {
                    resume(Step.SYNC_LOCK);
                    return t.next(k.cost(Cost.CPU_STEP));
                }
                fail(at); // out of passes, or a permanent failure
                return nextSyncFolio(t, k.cost(Cost.CPU_STEP));
            }
            case END:
                return done(t, failed);
            default:
                throw new IllegalStateException("migrate_pages: bad pc " + pc);
        }
    }

    /** After a folio's last synchronous try: the next folio's tries, or the end. */
    private int nextSyncFolio(Task t, long ns) {
        at = next(at + 1, PENDING, ASYNC_GAVE_UP);
        pass = 0;
        resume(at < 0 ? Step.END : Step.SYNC_LOCK);
        return t.next(ns);
    }

    /** The first folio from {@code from} in one of the given states, or -1. */
    private int next(int from, byte... states) {
        for (int i = from; i < count; i++) {
            for (byte s : states) {
                if (state[i] == s) {
                    return i;
                }
            }
        }
        return -1;
    }

    private void fail(int i) {
        state[i] = FAILED;
        failed++;
        failedPages++;
    }

    /** -ENOMEM: the folio that met it counts as failed, the untried ones are not counted. */
    private int outOfMemory(Task t, int i) {
        fail(i);
        return done(t, Errno.ENOMEM.negative());
    }

    private int done(Task t, int rc) {
        result = rc;
        k.vm.count(Vmstat.PGMIGRATE_SUCCESS, succeededPages);
        k.vm.count(Vmstat.PGMIGRATE_FAIL, failedPages);
        return t.ret();
    }
}
