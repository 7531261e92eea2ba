package org.pinlab.testing;

import org.pinlab.api.fs.FilesystemType;
import org.pinlab.fs.xfs.internal.XfsType;

/** The shipped xfs bundle against the filesystem contract. */
class XfsFilesystemContractTest extends FilesystemContract {

    @Override
    protected FilesystemType filesystemType() {
        return new XfsType();
    }
}
