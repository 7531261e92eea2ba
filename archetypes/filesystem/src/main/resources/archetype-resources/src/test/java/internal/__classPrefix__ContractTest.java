package ${package}.internal;

import org.pinlab.api.fs.FilesystemType;
import org.pinlab.testing.FilesystemContract;

/** The SPI's rules for a FilesystemType, checked in the model kernel: the same suite the shipped bundles pass. */
class ${classPrefix}ContractTest extends FilesystemContract {

    @Override
    protected FilesystemType filesystemType() {
        return new ${classPrefix}FilesystemType();
    }
}
