/**
 * Reports of a comparison: one {@link org.pinlab.scenarios.report.Report} built once from a
 * {@link org.pinlab.scenarios.Comparison.Matrix} (or one run), holding every figure a reader
 * sees, and one {@link org.pinlab.scenarios.report.Renderer} per
 * {@link org.pinlab.scenarios.report.Format}: console table, Markdown, JSON, CSV, HTML. Renderers
 * only lay figures out; none of them aggregates or recomputes one, so every format shows the same
 * numbers. A run's Perfetto trace is the one format whose input is not a report: it renders
 * what a {@link org.pinlab.scenarios.ChromeTrace} recorded step by step.
 */
@Export
@Version("1.1.0")
package org.pinlab.scenarios.report;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
