package org.pinlab.testing;

import org.pinlab.api.fs.FilesystemType;
import org.pinlab.fs.dax.internal.DaxType;

/** The shipped dax bundle against the filesystem contract. */
class DaxFilesystemContractTest extends FilesystemContract {

    @Override
    protected FilesystemType filesystemType() {
        return new DaxType();
    }
}
