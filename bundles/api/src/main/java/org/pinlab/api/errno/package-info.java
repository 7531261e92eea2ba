/**
 * The Linux error numbers the model returns, as one {@link org.pinlab.api.errno.Errno} type.
 * Its own package because every SPI package returns errnos (pin accounting, admission,
 * filesystems, devices) and none of them owns the numbers: a filesystem bundle should not
 * import the device package to say {@code -EIO}.
 */
@Export
@Version("1.1.0")
package org.pinlab.api.errno;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
