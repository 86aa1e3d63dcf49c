package io.mphub.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one third party may receive of an event, as its file under routes/destinations/ declares: the {@code data}
 * fields kept (all when none is named), and per field a rule — dropped, pseudonymized, masked or coarsened
 * ({@link FieldRule}); and the consent scope it needs, if any ({@link ConsentStore}). Field names are paths into the
 * structured CloudEvent: {@code subject}, {@code mphubaddress}, {@code data.openId}, {@code data.location}.
 *
 * @param keep       the {@code data} fields kept; empty: all
 * @param rules      by field path
 * @param consent    the scope the destination relies on, or empty when it serves the user's own request
 * @param deliverWithoutRecord whether a user with no consent record yet is delivered to (else withheld)
 * @param pseudonyms the destination's key; null when no rule pseudonymizes
 * @param personal   the personal fields of the event contract (schemas' {@code x-personal}), by path: what the audit
 *                   and the metrics name when sent
 */
public record DataContract(Set<String> keep, Map<String, FieldRule> rules, Optional<String> consent,
        boolean deliverWithoutRecord, Pseudonyms pseudonyms, Personal personal) {

    public DataContract(Set<String> keep, Map<String, FieldRule> rules, Optional<String> consent,
            boolean deliverWithoutRecord, Pseudonyms pseudonyms, Set<String> personal) {
        this(keep, rules, consent, deliverWithoutRecord, pseudonyms, Personal.of(personal));
    }

    /**
     * The personal fields by path, and what {@link #scan} looks them up by, worked out once rather than per event.
     *
     * @param paths      every path
     * @param attributes the paths that are attributes of the event ({@code subject})
     * @param inData     those that are fields of {@code data}, by name ({@code openId} to {@code data.openId})
     * @param shallow    whether every path is one or the other: what {@link #scan} can find
     */
    public record Personal(Set<String> paths, Set<String> attributes, Map<String, String> inData, boolean shallow) {

        static Personal of(Set<String> paths) {
            Set<String> attributes = new HashSet<>();
            Map<String, String> inData = new HashMap<>();
            for (String path : paths) {
                if (path.indexOf('.') < 0) {
                    attributes.add(path);
                } else if (path.startsWith("data.") && path.indexOf('.', "data.".length()) < 0) {
                    inData.put(path.substring("data.".length()), path);
                }
            }
            return new Personal(Set.copyOf(paths), Set.copyOf(attributes), Map.copyOf(inData),
                    attributes.size() + inData.size() == paths.size());
        }
    }

    /** A destination that receives every event whole, whose audit names no field as personal: for tests. */
    public static final DataContract WHOLE = all(Set.of());

    /** A destination that receives every event whole. */
    public static DataContract all(Set<String> personal) {
        return new DataContract(Set.of(), Map.of(), Optional.empty(), false, null, personal);
    }

    /**
     * An event as this destination may receive it.
     *
     * @param body   the structured event, changed only when a rule applies (else the very bytes given)
     * @param appId  the mini program ({@code data.appId}); empty when the event names none
     * @param user   the user the event is about ({@code data.openId}, else {@code subject}); empty when none
     * @param sentAs the user's id as the destination gets it (the pseudonym when {@code subject} is pseudonymized)
     * @param fields the personal fields sent, each as {@code path} or {@code path:pseudonymized|masked|coarsened}
     */
    public record Shared(byte[] body, String appId, String user, String sentAs, List<String> fields) {

        /** The same event, as not sent: no field, and no pseudonym, went anywhere. */
        public Shared unsent() {
            return new Shared(body, appId, user, user, List.of());
        }
    }

    public Shared apply(ObjectMapper mapper, byte[] event) {
        try {
            if (keep.isEmpty() && rules.isEmpty() && personal.shallow()) {
                return scan(mapper, event);
            }
            ObjectNode node = (ObjectNode) mapper.readTree(event);
            String appId = node.path("data").path("appId").asText("");
            // The user's openid, as consent is recorded (data.openId); else the subject, unless the event is about the
            // mini program, not a user (WeChat's daily analysis, whose subject is the appId).
            String user = node.path("data").path("openId").asText("");
            if (user.isBlank()) {
                String subject = node.path("subject").asText("");
                user = subject.equals(appId) ? "" : subject;
            }
            boolean changed = false;
            if (!keep.isEmpty() && node.get("data") instanceof ObjectNode data) {
                int fields = data.size();
                data.retain(keep);
                changed = data.size() != fields;
            }
            for (Map.Entry<String, FieldRule> rule : rules.entrySet()) {
                changed = apply(node, rule.getKey(), rule.getValue()) || changed;
            }
            List<String> fields = new ArrayList<>();
            for (String path : personal.paths()) {
                if (at(node, path) != null) {
                    FieldRule rule = rules.get(path);
                    fields.add(rule == null ? path : path + ":" + rule.done());
                }
            }
            boolean pseudonymized = rules.get("subject") instanceof FieldRule.Pseudonymize
                    || rules.get("data.openId") instanceof FieldRule.Pseudonymize;
            String sentAs = pseudonymized && !user.isEmpty() ? pseudonyms.of(user) : user;
            return new Shared(changed ? mapper.writeValueAsBytes(node) : event, appId, user, sentAs,
                    List.copyOf(fields));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("the event is not a JSON object");
        }
    }

    /**
     * What {@link #apply} finds of an event it does not change, read as a stream rather than a tree (a third of the
     * cost): the ids, and which personal fields it holds (attributes and fields of {@code data}, as the schemas mark
     * them today).
     */
    private Shared scan(ObjectMapper mapper, byte[] event) throws IOException {
        String appId = "";
        String openId = "";
        String subject = "";
        List<String> fields = new ArrayList<>();
        try (JsonParser p = mapper.getFactory().createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the event is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("data") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        String path = v == JsonToken.VALUE_NULL ? null : personal.inData().get(field);
                        if (path != null) {
                            fields.add(path);
                        }
                        if (v == JsonToken.VALUE_STRING && field.equals("appId")) {
                            appId = p.getText();
                        } else if (v == JsonToken.VALUE_STRING && field.equals("openId")) {
                            openId = p.getText();
                        }
                        p.skipChildren();
                    }
                    continue;
                }
                if (value != JsonToken.VALUE_NULL && personal.attributes().contains(name)) {
                    fields.add(name);
                }
                if (value == JsonToken.VALUE_STRING && name.equals("subject")) {
                    subject = p.getText();
                }
                p.skipChildren();
            }
        }
        String user = !openId.isBlank() ? openId : subject.equals(appId) ? "" : subject;
        return new Shared(event, appId, user, user, List.copyOf(fields));
    }

    /** Applies one rule where its field is; whether the event changed. */
    private boolean apply(ObjectNode event, String path, FieldRule rule) {
        int dot = path.lastIndexOf('.');
        JsonNode parent = dot < 0 ? event : at(event, path.substring(0, dot));
        String name = path.substring(dot + 1);
        if (!(parent instanceof ObjectNode object) || !object.has(name)) {
            return false;
        }
        Optional<JsonNode> value = rule.apply(object.get(name), pseudonyms);
        if (value.isPresent()) {
            object.set(name, value.get());
        } else {
            object.remove(name);
        }
        return true;
    }

    /** The node at a dotted path, or null. */
    private static JsonNode at(JsonNode node, String path) {
        JsonNode at = node;
        for (String part : path.split("\\.")) {
            at = at.get(part);
            if (at == null || at.isNull()) {
                return null;
            }
        }
        return at;
    }
}
