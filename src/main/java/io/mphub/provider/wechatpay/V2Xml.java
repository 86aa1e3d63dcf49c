package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * WeChat Pay API v2 messages: a flat {@code <xml><name>value</name>…</xml>}. Read with the JDK's parser hardened
 * against XXE the way OWASP and WeChat Pay's own security notice (2018) ask: no DOCTYPE at all, no external
 * entities or DTDs, no XInclude.
 */
final class V2Xml {

    private V2Xml() {
    }

    /** The parameters as a v2 XML body, values escaped. */
    static String write(Map<String, String> params) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
            xml.writeStartElement("xml");
            for (Map.Entry<String, String> p : params.entrySet()) {
                if (p.getValue() != null) {
                    xml.writeStartElement(p.getKey());
                    xml.writeCharacters(p.getValue());
                    xml.writeEndElement();
                }
            }
            xml.writeEndElement();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write WeChat Pay v2 XML", e);
        }
        return out.toString();
    }

    /**
     * The children of {@code <xml>} by name, with their text.
     *
     * @throws IllegalArgumentException when the body is not such a document, or declares a DOCTYPE
     */
    static Map<String, String> read(byte[] body) {
        Document document;
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // fails on fatal errors without printing to stderr
            document = builder.parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("not a WeChat Pay v2 XML document: " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the XML parser cannot be hardened", e);
        }
        Element root = document.getDocumentElement();
        if (!"xml".equals(root.getTagName())) {
            throw new IllegalArgumentException("not a WeChat Pay v2 XML document: root is <" + root.getTagName() + ">");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                fields.put(element.getTagName(), element.getTextContent());
            }
        }
        return fields;
    }

    static Map<String, String> read(String body) {
        return read(body.getBytes(UTF_8));
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // OWASP XXE prevention: refusing any DOCTYPE stops every entity trick at once
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        return factory;
    }
}
