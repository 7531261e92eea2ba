package org.pinlab.testing;

import org.pinlab.api.fs.FilesystemType;
import org.pinlab.fs.ext4.internal.Ext4Type;

/** The shipped ext4 bundle against the filesystem contract. */
class Ext4FilesystemContractTest extends FilesystemContract {

    @Override
    protected FilesystemType filesystemType() {
        return new Ext4Type();
    }
}
