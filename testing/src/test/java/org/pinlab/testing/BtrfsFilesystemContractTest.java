package org.pinlab.testing;

import org.pinlab.api.fs.FilesystemType;
import org.pinlab.fs.btrfs.internal.BtrfsType;

/** The shipped btrfs bundle against the filesystem contract. */
class BtrfsFilesystemContractTest extends FilesystemContract {

    @Override
    protected FilesystemType filesystemType() {
        return new BtrfsType();
    }
}
