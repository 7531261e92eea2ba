package org.pinlab.scenarios.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.scenarios.Explorer;

/**
 * An exploration's result as JSON ({@code "format": "pinlab-exploration"}, version 1): the
 * search's figures, the shrunk failure and the command that replays it.
 */
final class ExplorationJsonRenderer implements Renderer<ExplorationReport> {

    @Override
    public void render(ExplorationReport r, Writer out) throws IOException {
        Explorer.Outcome o = r.outcome();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", "pinlab-exploration");
            g.writeNumberField("formatVersion", 1);
            g.writeStringField("scenario", o.scenario());
            g.writeStringField("combination", o.combination());
            g.writeStringField("mode", o.mode().name().toLowerCase(java.util.Locale.ROOT));
            g.writeNumberField("schedules", o.schedules());
            g.writeNumberField("failingSchedules", o.failingSchedules());
            g.writeBooleanField("interrupted", r.interrupted());
            g.writeNumberField("wallMillis", o.wallMillis());
            g.writeObjectFieldStart("schedulesWithFinding");
            for (Map.Entry<FindingKind, Integer> e : o.schedulesWithFinding().entrySet()) {
                g.writeNumberField(e.getKey().name(), e.getValue());
            }
            g.writeEndObject();
            if (!Double.isNaN(o.missBound())) {
                g.writeNumberField("pctDepth", r.depth());
                g.writeNumberField("pctMissBound", o.missBound());
            }
            if (r.failing() != null) {
                g.writeObjectFieldStart("failure");
                g.writeNumberField("seed", r.failing().seed());
                g.writeNumberField("preemptionsBefore", o.preemptionsBefore());
                g.writeNumberField("preemptionsAfter", o.preemptionsAfter());
                g.writeNumberField("shrinkRuns", o.shrinkRuns());
                g.writeBooleanField("shrinkBounded", o.shrinkBounded());
                g.writeStringField("preemptions", o.preemptions());
                g.writeStringField("traceHash", String.format("%016x", r.failing().traceHash()));
                if (r.finding() != null) {
                    g.writeStringField("kind", r.finding().kind().name());
                    g.writeStringField("message", r.finding().message());
                }
                g.writeStringField("replay", o.replayCommand());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        out.flush();
    }
}
