/**
 * The one list of pinlab's pluggable families: each a {@link org.pinlab.api.lab.Family}
 * descriptor of its service interface, default and swap semantics.
 */
@Export
@Version("1.1.0")
package org.pinlab.api.families;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
