package org.pinlab.fs.ext4.internal;

import org.pinlab.api.fs.PageRef;
import org.pinlab.api.mm.PageFlags;

/** A page cache page whose flags a test sets directly. */
final class FakePage implements PageRef {

    private final int inode;
    private final int index;
    int flags = PageFlags.LOCKED | PageFlags.UPTODATE;
    int privateData;
    int attaches;
    int detaches;

    FakePage(int inode, int index) {
        this.inode = inode;
        this.index = index;
    }

    FakePage with(int flag) {
        flags |= flag;
        return this;
    }

    FakePage without(int flag) {
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
