package org.pinlab.fs.ext4.internal;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;

/** Records every call a superblock makes to its kernel. */
final class FakeFsKernel implements FsKernel {

    record Io(int inode, int index, long block) {
    }

    record Finding(String function, String message) {
    }

    private final long blocks;
    final List<Io> writes = new ArrayList<>();
    final List<Io> reads = new ArrayList<>();
    final List<String> zeroed = new ArrayList<>();
    final List<String> unsubmitted = new ArrayList<>();
    final List<Finding> bugs = new ArrayList<>();
    final List<Finding> warnings = new ArrayList<>();

    FakeFsKernel(long blocks) {
        this.blocks = blocks;
    }

    @Override
    public long blocks() {
        return blocks;
    }

    @Override
    public void submitWrite(PageRef page, long block) {
        writes.add(new Io(page.inode(), page.index(), block));
    }

    @Override
    public void endWritebackUnsubmitted(PageRef page) {
        unsubmitted.add(page.inode() + ":" + page.index());
    }

    @Override
    public void submitRead(PageRef page, long block) {
        reads.add(new Io(page.inode(), page.index(), block));
    }

    @Override
    public void zeroPage(PageRef page) {
        zeroed.add(page.inode() + ":" + page.index());
    }

    @Override
    public void bug(String function, String message) {
        bugs.add(new Finding(function, message));
    }

    @Override
    public void warn(String function, String message) {
        warnings.add(new Finding(function, message));
    }

    @Override
    public long now() {
        return 0;
    }
}
