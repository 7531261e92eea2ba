package org.pinlab.scenarios.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.scenarios.Comparison.Row;

/**
 * The report as JSON ({@code "format": "pinlab-comparison"}, version 1) for other programs:
 * raw figures, every one carrying its unit in its name.
 */
final class JsonRenderer implements Renderer<Report> {

    @Override
    public void render(Report report, Writer out) throws IOException {
        JsonFactory factory = new JsonFactory();
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", "pinlab-comparison");
            g.writeNumberField("formatVersion", 1);
            g.writeNumberField("seeds", report.matrix().seeds());
            g.writeNumberField("threads", report.matrix().threads());
            g.writeNumberField("wallMillis", report.matrix().wallMillis());
            g.writeNumberField("pageSizeBytes", Report.PAGE_SIZE);
            g.writeArrayFieldStart("rows");
            for (Report.Entry e : report.entries()) {
                row(g, e);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.flush();
    }

    private static void row(JsonGenerator g, Report.Entry e) throws IOException {
        Row r = e.row();
        g.writeStartObject();
        g.writeStringField("scenario", r.scenario());
        g.writeStringField("combination", r.combination());
        g.writeObjectFieldStart("choices");
        for (Map.Entry<String, String> c : r.choices().entrySet()) {
            g.writeStringField(c.getKey(), c.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("runs", r.runs());
        g.writeObjectFieldStart("runsWithFinding");
        for (FindingKind k : e.kinds()) {
            g.writeNumberField(k.name(), r.runsWithFinding().get(k));
        }
        g.writeEndObject();
        g.writeObjectFieldStart("firstSeed");
        for (FindingKind k : e.kinds()) {
            Long seed = r.firstSeed().get(k);
            if (seed != null) {
                g.writeNumberField(k.name(), seed);
            }
        }
        g.writeEndObject();
        g.writeFieldName("dmaMibPerSecond");
        if (Double.isFinite(r.dmaMibPerSecond())) {
            g.writeNumber(r.dmaMibPerSecond());
        } else {
            g.writeNull();
        }
        g.writeNumberField("writebackP50Ns", r.writebackP50Ns());
        g.writeNumberField("writebackP99Ns", r.writebackP99Ns());
        g.writeNumberField("fsyncP50Ns", r.fsyncP50Ns());
        g.writeNumberField("fsyncP99Ns", r.fsyncP99Ns());
        g.writeNumberField("fsyncCalls", r.fsyncCalls()); // over every run; -1 where not counted
        g.writeNumberField("unreclaimableEvents", r.unreclaimable());
        g.writeNumberField("peakDmaPages", r.peakDmaPages());
        g.writeNumberField("peakDmaBytes", e.peakDmaBytes());
        g.writeNumberField("peakBouncePages", r.peakBouncePages());
        g.writeNumberField("peakBounceBytes", e.peakBounceBytes());
        g.writeNumberField("copyBytes", r.copyBytes());
        g.writeObjectFieldStart("syscallErrors"); // "task: call -ERRNO": runs that returned it
        for (Map.Entry<String, Integer> error : r.runsWithError().entrySet()) {
            g.writeNumberField(error.getKey(), error.getValue());
        }
        g.writeEndObject();
        g.writeBooleanField("meetsExpectations", r.meetsExpectations());
        g.writeArrayFieldStart("violations");
        for (String v : r.violations()) {
            g.writeString(v);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
