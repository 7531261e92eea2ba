package org.pinlab.scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.lab.Implementations;

/** The scenarios shipped inside this bundle, one per symptom of the seeds, runnable out of the box. */
public final class Catalog {

    private static final String DIR = "/org/pinlab/scenarios/catalog/";

    private Catalog() {
    }

    /** The names of the catalog's scenarios, in catalog order. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (String line : read("index.txt").split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                out.add(name);
            }
        }
        return out;
    }

    /** The YAML text of a catalog scenario. */
    public static String yaml(String name) {
        if (!names().contains(name)) {
            throw new IllegalArgumentException("no catalog scenario named '" + name + "'"
                    + org.pinlab.scenarios.internal.Fields.suggestion(name, names()) + "; catalog: "
                    + String.join(", ", names()));
        }
        return read(name + ".yaml");
    }

    /** Loads every catalog scenario against {@code impls}. */
    public static List<Scenario> load(Implementations impls) {
        ScenarioLoader loader = new ScenarioLoader(impls);
        List<Scenario> out = new ArrayList<>();
        for (String name : names()) {
            out.add(loader.load("catalog:" + name, yaml(name)));
        }
        return out;
    }

    private static String read(String file) {
        try (InputStream in = Catalog.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("the catalog resource " + file + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read catalog resource " + file, e);
        }
    }
}
