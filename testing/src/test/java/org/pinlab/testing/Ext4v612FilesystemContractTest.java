package org.pinlab.testing;

import java.util.Map;

import org.pinlab.api.fs.FilesystemType;
import org.pinlab.fs.ext4.internal.Ext4Type;

/** The shipped ext4 bundle against the filesystem contract, mounted as v6.12 (kernel=6.12). */
class Ext4v612FilesystemContractTest extends FilesystemContract {

    @Override
    protected FilesystemType filesystemType() {
        return new Ext4Type();
    }

    @Override
    protected Map<String, String> mountOptions() {
        return Map.of("kernel", "6.12");
    }
}
