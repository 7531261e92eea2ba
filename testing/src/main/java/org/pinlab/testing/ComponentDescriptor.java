package org.pinlab.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * What a Declarative Services component description (OSGI-INF/*.xml, as bnd writes it) says
 * about one component, as far as the plain classpath can honour it.
 *
 * @param name                the component's name
 * @param implementation      the implementation class
 * @param provides            the service interfaces, in declared order
 * @param properties          the {@code property} elements, each with its values
 * @param references          the names of the component's references (SCR would inject them)
 * @param activate            the {@code activate} attribute, or null
 * @param configurationPolicy the {@code configuration-policy} attribute ({@code optional} when absent)
 * @param factory             the {@code factory} attribute, or null
 * @param enabled             the {@code enabled} attribute
 * @param source              where the description was read from
 */
record ComponentDescriptor(String name, String implementation, List<String> provides,
                           Map<String, List<String>> properties, List<String> references, String activate,
                           String configurationPolicy, String factory, boolean enabled, String source) {

    /** The one value of a single-valued property, or null when absent or multi-valued. */
    String property(String key) {
        List<String> v = properties.get(key);
        return v != null && v.size() == 1 ? v.get(0) : null;
    }

    /**
     * Every component in the description at {@code url}: its root is one {@code component},
     * or any element holding several (DS 1.0, 112.4.1).
     *
     * @throws IOException if it cannot be read or is not a component description
     */
    static List<ComponentDescriptor> read(URL url) throws IOException {
        Document doc;
        try (InputStream in = url.openStream()) {
            doc = builder().parse(in, url.toString());
        } catch (SAXException e) {
            throw new IOException("not well-formed XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        List<Element> components = new ArrayList<>();
        if ("component".equals(localName(root))) {
            components.add(root);
        } else {
            for (Element e : children(root, "component")) {
                components.add(e);
            }
        }
        if (components.isEmpty()) {
            throw new IOException("no <component> element in it");
        }
        List<ComponentDescriptor> out = new ArrayList<>();
        for (Element c : components) {
            out.add(of(c, url.toString()));
        }
        return out;
    }

    private static ComponentDescriptor of(Element c, String source) throws IOException {
        List<Element> impl = children(c, "implementation");
        if (impl.size() != 1 || impl.get(0).getAttribute("class").isBlank()) {
            throw new IOException("component " + c.getAttribute("name") + " has no <implementation class=...>");
        }
        List<String> provides = new ArrayList<>();
        for (Element service : children(c, "service")) {
            for (Element p : children(service, "provide")) {
                provides.add(p.getAttribute("interface").strip());
            }
        }
        Map<String, List<String>> properties = new LinkedHashMap<>();
        for (Element p : children(c, "property")) {
            properties.put(p.getAttribute("name"), values(p));
        }
        List<String> references = new ArrayList<>();
        for (Element r : children(c, "reference")) {
            references.add(r.hasAttribute("name") ? r.getAttribute("name") : r.getAttribute("interface"));
        }
        String className = impl.get(0).getAttribute("class").strip();
        String name = c.hasAttribute("name") ? c.getAttribute("name") : className; // DS 1.1: defaults to the class
        return new ComponentDescriptor(name, className, List.copyOf(provides), properties, List.copyOf(references),
                attribute(c, "activate"), c.hasAttribute("configuration-policy")
                        ? c.getAttribute("configuration-policy") : "optional",
                attribute(c, "factory"), !"false".equals(c.getAttribute("enabled")), source);
    }

    /** A property's values: the {@code value} attribute, or one per non-blank line of its body. */
    private static List<String> values(Element p) {
        if (p.hasAttribute("value")) {
            return List.of(p.getAttribute("value"));
        }
        List<String> out = new ArrayList<>();
        for (String line : p.getTextContent().split("\n")) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return List.copyOf(out);
    }

    private static String attribute(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && localName.equals(localName(e))) {
                out.add(e);
            }
        }
        return out;
    }

    private static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    private static DocumentBuilder builder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // a descriptor never needs a DTD; refusing one keeps the parse local and quick
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // errors thrown, not printed
            return b;
        } catch (ParserConfigurationException e) {
            throw new IOException("no XML parser: " + e.getMessage(), e);
        }
    }
}
