/**
 * The filesystem SPI. A {@link org.pinlab.api.fs.FilesystemType} service mounts a
 * {@link org.pinlab.api.fs.Superblock} per machine; the kernel calls the superblock's
 * address-space operations from its own paths (fault, writeback, reclaim, truncate), each
 * call inside one atomic step, and the superblock answers through
 * {@link org.pinlab.api.fs.FsKernel}: block I/O, BUG and WARN. Types parse their mount
 * options strictly with {@link org.pinlab.api.fs.MountOptions}.
 */
@Export
@Version("2.2.0")
package org.pinlab.api.fs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
