/**
 * Physical memory as the model kernel sees it: frame numbers, zones, the page
 * allocator service and the layout of a machine's memory.
 */
@Export
@Version("2.1.0")
package org.pinlab.api.mm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
