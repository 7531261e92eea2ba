package org.pinlab.api.fs.testing;

import org.pinlab.api.fs.PageRef;
import org.pinlab.api.mm.PageFlags;

/**
 * A locked, up-to-date page cache page whose flags a test sets directly. Counts private
 * attaches and detaches, and refuses the unbalanced ones the kernel would trip over.
 * Shipped in the api test-jar.
 */
public final class FakePage implements PageRef {

    private final int inode;
    private final int index;
    public int flags = PageFlags.LOCKED | PageFlags.UPTODATE;
    public int privateData;
    public int attaches;
    public int detaches;

    public FakePage(int inode, int index) {
        this.inode = inode;
        this.index = index;
    }

    public FakePage with(int flag) {
        flags |= flag;
        return this;
    }

    public FakePage without(int flag) {
        flags &= ~flag;
        return this;
    }

    @Override
    public int pfn() {
        return 1000 + index;
    }

    @Override
    public int inode() {
        return inode;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int flags() {
        return flags;
    }

    @Override
    public int privateData() {
        return privateData;
    }

    @Override
    public void attachPrivate(int data) {
        if (hasPrivate()) {
            throw new IllegalStateException("attach_page_private on a page that has private data");
        }
        flags |= PageFlags.PRIVATE;
        privateData = data;
        attaches++;
    }

    @Override
    public void detachPrivate() {
        if (!hasPrivate()) {
            throw new IllegalStateException("detach_page_private on a page without private data");
        }
        flags &= ~PageFlags.PRIVATE;
        privateData = 0;
        detaches++;
    }

    @Override
    public boolean maybeDmaPinned() {
        return false;
    }
}
