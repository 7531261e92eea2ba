/**
 * The kernel's self-tests (tools/testing/selftests/mm) on a model machine: tools a user or
 * a benchmark runs against the model, not part of the model's API. {@link
 * org.pinlab.kernel.selftests.GupTest} is {@code gup_test}: it maps and faults in a buffer,
 * grabs it through the GUP calls and puts it back, timing both halves.
 */
@Export
@Version("1.0.0")
package org.pinlab.kernel.selftests;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

