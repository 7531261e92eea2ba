package org.pinlab.kernel.internal.mm;

import java.util.ArrayList;
import java.util.List;

/** The inode table: every file of every mount, by inode number (numbers start at 1). */
public final class Inodes {

    private final List<Inode> inodes = new ArrayList<>();

    public Inodes() {
        inodes.add(null); // inode numbers start at 1
    }

    /** The next free inode number. */
    public int nextIno() {
        return inodes.size();
    }

    public void add(Inode inode) {
        inodes.add(inode);
    }

    /** The inode numbered {@code ino}; null for 0. */
    public Inode get(int ino) {
        return inodes.get(ino);
    }

    /** Whether {@code ino} names a file. */
    public boolean exists(int ino) {
        return ino > 0 && ino < inodes.size();
    }

    /** One past the highest inode number: loops that scan the table stop here. */
    public int size() {
        return inodes.size();
    }

    /** Every file, by inode number. */
    public List<Inode> all() {
        return inodes.subList(1, inodes.size());
    }
}
