package io.mphub.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.testing.Events;
import org.junit.jupiter.api.Test;

class DataContractTest {

    private static final String USER = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
    private static final String EVENT = "{\"specversion\":\"1.0\",\"id\":\"evt-1\",\"source\":\"/miniprogram/" + Events.APP
            + "\",\"type\":\"mp.order.shipped\",\"time\":\"2026-01-01T08:00:00Z\",\"subject\":\"" + USER
            + "\",\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\","
            + "\"data\":" + Events.orderShipped(USER, "ORDER-000001") + "}";

    private final ObjectMapper mapper = new ObjectMapper();
    private final DataContract contract = new DataContract(mapper);

    @Test
    void keepsOnlyTheConfiguredDataFieldsAndLeavesTheEnvelopeAlone() throws Exception {
        JsonNode original = mapper.readTree(EVENT);

        JsonNode kept = mapper.readTree(contract.apply(Set.of("appId", "orderId"), EVENT.getBytes(StandardCharsets.UTF_8)));

        assertThat(kept.get("data")).isEqualTo(mapper.createObjectNode()
                .put("appId", Events.APP).put("orderId", "ORDER-000001"));
        ObjectNode envelope = ((ObjectNode) kept).deepCopy();
        envelope.remove("data");
        ObjectNode originalEnvelope = ((ObjectNode) original).deepCopy();
        originalEnvelope.remove("data");
        assertThat(envelope).isEqualTo(originalEnvelope);
    }

    @Test
    void configuredFieldMissingFromTheEventIsNotInvented() throws Exception {
        JsonNode kept = mapper.readTree(contract.apply(Set.of("orderId", "transactionId"),
                EVENT.getBytes(StandardCharsets.UTF_8)));

        assertThat(kept.get("data")).isEqualTo(mapper.createObjectNode().put("orderId", "ORDER-000001"));
    }

    @Test
    void noConfiguredFieldsReturnsTheVeryBytesUnparsed() {
        byte[] event = EVENT.getBytes(StandardCharsets.UTF_8);

        assertThat(contract.apply(Set.of(), event)).isSameAs(event);
        byte[] notEvenJson = "not json".getBytes(StandardCharsets.UTF_8);
        assertThat(contract.apply(Set.of(), notEvenJson)).isSameAs(notEvenJson);
    }
}
