package org.pinlab.scenarios.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes a model in one format. A renderer lays out what the model holds and leaves the
 * writer open (flushed), so a caller may write more after it.
 *
 * @param <M> what it renders: a {@link Report}, or for Perfetto a recorded trace
 */
@FunctionalInterface
public interface Renderer<M> {

    void render(M model, Writer out) throws IOException;

    /** The rendering as a string. */
    default String render(M model) {
        StringWriter w = new StringWriter();
        try {
            render(model, w);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return w.toString();
    }
}
