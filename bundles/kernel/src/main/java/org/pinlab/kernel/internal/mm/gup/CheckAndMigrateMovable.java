package org.pinlab.kernel.internal.mm.gup;

import java.util.Arrays;

import org.pinlab.api.errno.Errno;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.mm.migrate.MigratePages;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code check_and_migrate_movable_pages} (mm/gup.c, v6.12), after a FOLL_LONGTERM walk has
 * pinned its whole range: {@link #collect} finds the folios a long-term pin may not hold
 * ({@code collect_longterm_unpinnable_folios}); if there are any, this Proc unpins every page
 * the walk pinned, migrates the isolated folios and puts back what did not move
 * ({@code migrate_longterm_unpinnable_folios}). Its {@link #result} is -EAGAIN when the
 * migration succeeded, so the caller pins the range again, or -ENOMEM when it failed, with
 * nothing left pinned. The -EAGAIN shape is 67e139b02d99 "mm/gup.c: refactor
 * check_and_migrate_movable_pages()" (v6.1, inferred).
 */
final class CheckAndMigrateMovable extends Proc {

    private final Gup k;
    private final int[] pages;
    private final int nrPages;
    private final int foll;
    private final int[] isolated;
    private MigratePages migration;
    /** -EAGAIN (migrated: pin again) or -ENOMEM (migration failed: give up). */
    int result;

    private CheckAndMigrateMovable(Gup k, int[] pages, int nrPages, int foll, int[] isolated) {
        super("check_and_migrate_movable_pages");
        this.k = k;
        this.pages = pages;
        this.nrPages = nrPages;
        this.foll = foll;
        this.isolated = isolated;
    }

    /**
     * {@code collect_longterm_unpinnable_folios} (mm/gup.c, v6.12): each folio of
     * {@code pages[0 .. nrPages)} that is not {@code folio_is_longterm_pinnable} is collected
     * and, if it is on the LRU, isolated ({@code folio_isolate_lru}). One that cannot be
     * isolated still counts, so the call unpins and retries. Departures: the model has no
     * per-CPU LRU caches to drain ({@code lru_add_drain}, {@code lru_add_drain_all}), no
     * hugetlb and no device-coherent folios.
     *
     * @return the migration to run, or null if every folio may stay pinned (the kernel's 0)
     */
    static CheckAndMigrateMovable collect(Gup k, int[] pages, int nrPages, int foll) {
        int collected = 0;
        int[] isolated = new int[nrPages];
        int n = 0;
        int i = 0;
        while (i < nrPages) {
            int head = k.frames.compoundHead(pages[i]);
            if (!k.pageAlloc.isLongtermPinnable(head)) {
                collected++;
                if (k.migrate.isolateLru(head)) {
                    isolated[n++] = head;
                }
            }
            i++;
            if (k.frames.isLarge(head)) {
                // pofs_next_folio: the entries that follow within the same large folio are skipped
                int end = head + (1 << k.frames.folioOrder(head));
                while (i < nrPages && pages[i] >= head && pages[i] < end) {
                    i++;
                }
            }
        }
        return collected == 0 ? null : new CheckAndMigrateMovable(k, pages, nrPages, foll, Arrays.copyOf(isolated, n));
    }

    /** Unpin everything, migrate what was isolated, put back what did not move. */
    private enum Step implements Proc.State { UNPIN, MIGRATE, PUT_BACK }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case UNPIN:
                // migrate_longterm_unpinnable_folios: unpin_folio for every entry, the pinnable ones too
                GetUserPages.ungrabPages(k, pages, nrPages, foll);
                resume(Step.MIGRATE);
                return t.next(nrPages * k.cost(Cost.UNPIN_PAGE));
            case MIGRATE:
                if (isolated.length == 0) {
                    result = Errno.EAGAIN.negative(); // nothing could be isolated: pin again and see
                    return t.ret();
                }
                migration = k.migrate.migratePages(isolated, isolated.length); // MIGRATE_SYNC, MR_LONGTERM_PIN
                resume(Step.PUT_BACK);
                return t.call(migration);
            case PUT_BACK:
                for (int pfn : migration.remaining()) {
                    k.migrate.putback(pfn); // putback_movable_pages
                }
                // migrate_pages returned the folios it could not move (or -ENOMEM): the pin fails
                result = migration.result != 0 ? Errno.ENOMEM.negative() : Errno.EAGAIN.negative();
                return t.ret();
            default:
                throw new IllegalStateException("check_and_migrate_movable_pages: bad pc " + pc);
        }
    }
}
