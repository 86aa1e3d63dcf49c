package io.mphub.privacy;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What a destination's data contract does to one field before the destination gets it. A value a rule cannot apply to
 * (a location without coordinates, an IP address that is not one) is removed: never passed on unchanged.
 */
public sealed interface FieldRule {

    /** How the audit and the metrics name what was done: {@code dropped}, {@code pseudonymized}, … */
    String done();

    /** The field's new value, or empty when it is to be removed. */
    Optional<JsonNode> apply(JsonNode value, Pseudonyms pseudonyms);

    /** The field is removed. */
    record Drop() implements FieldRule {
        public String done() {
            return "dropped";
        }

        public Optional<JsonNode> apply(JsonNode value, Pseudonyms pseudonyms) {
            return Optional.empty();
        }
    }

    /** The field's text is replaced by its HMAC-SHA256 pseudonym under the destination's key ({@link Pseudonyms}). */
    record Pseudonymize() implements FieldRule {
        public String done() {
            return "pseudonymized";
        }

        public Optional<JsonNode> apply(JsonNode value, Pseudonyms pseudonyms) {
            return text(value).map(t -> TextNode.valueOf(pseudonyms.of(t)));
        }
    }

    /** The field's text keeps its first three and last four characters ({@link Coarsening#mask}). */
    record Mask() implements FieldRule {
        public String done() {
            return "masked";
        }

        public Optional<JsonNode> apply(JsonNode value, Pseudonyms pseudonyms) {
            return text(value).map(t -> TextNode.valueOf(Coarsening.mask(t)));
        }
    }

    /** An IP address cut to its /24 (IPv4) or /48 (IPv6). */
    record Network() implements FieldRule {
        public String done() {
            return "coarsened";
        }

        public Optional<JsonNode> apply(JsonNode value, Pseudonyms pseudonyms) {
            return text(value).flatMap(Coarsening::network).map(TextNode::valueOf);
        }
    }

    /** A location {latitude, longitude} rounded to {@code decimals} places. */
    record Round(int decimals) implements FieldRule {
        public String done() {
            return "coarsened";
        }

        public Optional<JsonNode> apply(JsonNode value, Pseudonyms pseudonyms) {
            if (!(value instanceof ObjectNode o) || !o.path("latitude").isNumber()
                    || !o.path("longitude").isNumber()) {
                return Optional.empty();
            }
            ObjectNode rounded = o.deepCopy();
            rounded.set("latitude", DoubleNode.valueOf(Coarsening.round(o.get("latitude").asDouble(), decimals)));
            rounded.set("longitude", DoubleNode.valueOf(Coarsening.round(o.get("longitude").asDouble(), decimals)));
            return Optional.of(rounded);
        }
    }

    /** An administrative division code cut to its city or its province. */
    record Division(boolean city) implements FieldRule {
        public String done() {
            return "coarsened";
        }

        public Optional<JsonNode> apply(JsonNode value, Pseudonyms pseudonyms) {
            return text(value).flatMap(t -> Coarsening.division(t, city)).map(TextNode::valueOf);
        }
    }

    private static Optional<String> text(JsonNode value) {
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
