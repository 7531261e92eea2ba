/**
 * The lab: which implementation of every pluggable family (page allocator, release
 * strategy, writeback policy, ...) is active, and how to swap it.
 */
@Export
@Version("2.1.0")
package org.pinlab.api.lab;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
