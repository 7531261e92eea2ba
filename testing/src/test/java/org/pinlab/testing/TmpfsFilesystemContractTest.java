package org.pinlab.testing;

import org.pinlab.api.fs.FilesystemType;
import org.pinlab.fs.tmpfs.internal.TmpfsType;

/** The shipped tmpfs bundle against the filesystem contract. */
class TmpfsFilesystemContractTest extends FilesystemContract {

    @Override
    protected FilesystemType filesystemType() {
        return new TmpfsType();
    }
}
