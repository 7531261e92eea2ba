/**
 * Scenarios: load YAML ({@link org.pinlab.scenarios.ScenarioLoader}), run one combination
 * and seed ({@link org.pinlab.scenarios.Runner}), explore schedules, compare combinations,
 * and write reports and traces. Plain Java, used by the shell and the tests alike.
 */
@Export
@Version("2.0.0")
package org.pinlab.scenarios;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
