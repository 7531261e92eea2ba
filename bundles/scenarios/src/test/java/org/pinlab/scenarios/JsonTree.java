package org.pinlab.scenarios;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Reads JSON text into maps, lists, strings, numbers, booleans and nulls with Jackson's streaming parser. */
public final class JsonTree {

    private JsonTree() {
    }

    /** Parses a whole document; fails on trailing content. */
    public static Object parse(String json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("empty document");
            }
            Object v = value(p, t);
            if (p.nextToken() != null) {
                throw new IOException("trailing content at " + p.currentLocation());
            }
            return v;
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (m.containsKey(name)) {
                        throw new IOException("duplicate field " + name);
                    }
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(value(p, n));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + t + " at " + p.currentLocation());
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(Object o) {
        return (List<Object>) o;
    }

    public static double number(Object o) {
        return ((Number) o).doubleValue();
    }
}
