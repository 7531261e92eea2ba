/**
 * What the oracles report: a {@link org.pinlab.api.finding.Finding} of a
 * {@link org.pinlab.api.finding.FindingKind}, with the simulated backtrace, the seed
 * and the schedule that replays it.
 */
@Export
@Version("1.1.0")
package org.pinlab.api.finding;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
