package org.pinlab.scenarios.report;

import java.io.IOException;
import java.io.Writer;

import org.pinlab.scenarios.ChromeTrace;

/**
 * A run's trace as Chrome trace-event JSON, one event a line. The trace is recorded step by
 * step while the run goes, and holds its events in a compact form only it reads, so the
 * writing stays with {@link ChromeTrace#write}; this puts it behind the same shape as the
 * report formats.
 */
final class PerfettoRenderer implements Renderer<ChromeTrace> {

    @Override
    public void render(ChromeTrace trace, Writer out) throws IOException {
        trace.write(out);
    }
}
