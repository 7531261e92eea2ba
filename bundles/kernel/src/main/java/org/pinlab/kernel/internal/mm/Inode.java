package org.pinlab.kernel.internal.mm;

/** A file ({@code struct inode}) on a mounted filesystem, with its page cache. */
public final class Inode {

    public final int ino;
    public final Mount mount;
    public final AddressSpace mapping;
    /** {@code i_size} in pages. */
    public int sizePages;

    public Inode(int ino, Mount mount, int sizePages) {
        this.ino = ino;
        this.mount = mount;
        this.sizePages = sizePages;
        this.mapping = new AddressSpace(ino, sizePages);
    }

    public int ino() {
        return ino;
    }

    public Mount mount() {
        return mount;
    }

    public AddressSpace mapping() {
        return mapping;
    }

    public int sizePages() {
        return sizePages;
    }
}
