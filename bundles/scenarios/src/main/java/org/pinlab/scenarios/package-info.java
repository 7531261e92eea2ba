/**
 * Scenarios: load YAML ({@link org.pinlab.scenarios.ScenarioLoader}), run one combination
 * and seed ({@link org.pinlab.scenarios.Runner}), explore schedules, compare combinations,
 * and record traces. The reports of a comparison are in {@link org.pinlab.scenarios.report}.
 * Plain Java, used by the shell and the tests alike.
 *
 * <p>2.0: {@code Reports} is gone; {@link org.pinlab.scenarios.report.Report} and its
 * {@link org.pinlab.scenarios.report.Format renderers} replace it.
 */
@Export
@Version("2.1.0")
package org.pinlab.scenarios;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
