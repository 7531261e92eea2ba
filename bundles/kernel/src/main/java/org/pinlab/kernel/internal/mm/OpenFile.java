package org.pinlab.kernel.internal.mm;

/**
 * An open file ({@code struct file}) as writeback errors see it: its inode and
 * {@code f_wb_err}, the point of the mapping's {@code wb_err} it has caught up with.
 */
public final class OpenFile {

    public final Inode inode;
    private int fWbErr;

    private OpenFile(Inode inode) {
        this.inode = inode;
        // do_dentry_open: f->f_wb_err = filemap_sample_wb_err(f->f_mapping)
        this.fWbErr = Errseq.sample(inode.mapping.wbErr);
    }

    /** {@code open(2)} of {@code inode}. */
    public static OpenFile open(Inode inode) {
        return new OpenFile(inode);
    }

    /**
     * {@code file_check_and_advance_wb_err} (mm/filemap.c, v6.12): the writeback error
     * recorded since this file last looked, reported once (the mapping's error is marked seen
     * and this file catches up), or 0.
     */
    public int checkAndAdvanceWbErr() {
        AddressSpace mapping = inode.mapping;
        if (mapping.wbErr == fWbErr) {
            return 0; // errseq_check: nothing new, the lockless common case
        }
        // errseq_check_and_advance: mark the error seen, catch up, report it
        mapping.wbErr = Errseq.seen(mapping.wbErr);
        fWbErr = mapping.wbErr;
        return Errseq.check(mapping.wbErr, 0);
    }
}
