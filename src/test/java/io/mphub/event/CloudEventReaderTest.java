package io.mphub.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.testing.Events;
import org.junit.jupiter.api.Test;

class CloudEventReaderTest {

    private static final String USER = EventContractTest.USER;

    private final ObjectMapper mapper = new ObjectMapper();
    private final CloudEventReader reader = new CloudEventReader(mapper);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> binaryHeaders() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", bytes("1.0"));
        headers.put("ce_id", bytes("evt-7"));
        headers.put("ce_source", bytes("/miniprogram/" + Events.APP));
        headers.put("ce_type", bytes("mp.order.paid"));
        headers.put("ce_time", bytes(EventContractTest.TIME));
        headers.put("ce_subject", bytes(USER));
        headers.put("content-type", bytes("application/json"));
        return headers;
    }

    private RejectedEventException rejected(byte[] value, Map<String, Object> headers) {
        RejectedEventException e = catchThrowableOfType(RejectedEventException.class, () -> reader.read(value, headers));
        assertThat(e).as("the reader should reject the record").isNotNull();
        return e;
    }

    @Test
    void structuredEventIsReadAsIs() throws Exception {
        String json = EventContractTest.event("mp.user.login", Events.login(USER));

        ObjectNode event = reader.read(bytes(json), Map.of());

        assertThat(event).isEqualTo(mapper.readTree(json));
    }

    @Test
    void notJsonIsAParseFailureNamingLineAndColumn() {
        RejectedEventException e = rejected(bytes("{\"specversion\":\"1.0\",\n  \"id\": evt-1}"), Map.of());

        assertThat(e.reason()).isEqualTo(RejectedEventException.PARSE);
        assertThat(e.getMessage()).contains("not JSON").contains("line 2").contains("column");
    }

    @Test
    void emptyRecordIsAParseFailure() {
        assertThat(rejected(new byte[0], Map.of()).reason()).isEqualTo(RejectedEventException.PARSE);
        assertThat(rejected(null, Map.of()).reason()).isEqualTo(RejectedEventException.PARSE);
    }

    @Test
    void jsonArrayIsAnEnvelopeFailure() {
        RejectedEventException e = rejected(bytes("[{\"specversion\":\"1.0\"}]"), Map.of());

        assertThat(e.reason()).isEqualTo(RejectedEventException.ENVELOPE);
        assertThat(e.getMessage()).contains("JSON object").contains("array");
    }

    @Test
    void binaryModeBuildsAStructuredEventWithTheValueAsData() throws Exception {
        String data = Events.orderPaid(USER, "ORDER-000001");

        ObjectNode event = reader.read(bytes(data), binaryHeaders());

        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("id").asText()).isEqualTo("evt-7");
        assertThat(event.get("source").asText()).isEqualTo("/miniprogram/" + Events.APP);
        assertThat(event.get("type").asText()).isEqualTo("mp.order.paid");
        assertThat(event.get("time").asText()).isEqualTo(EventContractTest.TIME);
        assertThat(event.get("subject").asText()).isEqualTo(USER);
        assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.get("data")).isEqualTo(mapper.readTree(data));
        assertThat(event.has("content-type")).isFalse();
    }

    @Test
    void binaryModeEventMeetsTheContract() throws Exception {
        ObjectNode event = reader.read(bytes(Events.orderPaid(USER, "ORDER-000001")), binaryHeaders());

        EventContract contract = EventContractTest.load(EventContractTest.SCHEMAS);
        assertThatCode(() -> contract.check(event)).doesNotThrowAnyException();
    }

    @Test
    void binaryModeAcceptsTextHeaderValues() {
        Map<String, Object> headers = new LinkedHashMap<>();
        binaryHeaders().forEach((k, v) -> headers.put(k, new String((byte[]) v, StandardCharsets.UTF_8)));

        ObjectNode event = reader.read(bytes(Events.orderPaid(USER, "ORDER-000001")), headers);

        assertThat(event.get("id").asText()).isEqualTo("evt-7");
        assertThat(event.get("type").asText()).isEqualTo("mp.order.paid");
    }

    @Test
    void binaryModeIgnoresHeadersThatAreNotCloudEventAttributes() {
        Map<String, Object> headers = binaryHeaders();
        headers.put("traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        headers.put("kafka.KEY", bytes(USER));

        ObjectNode event = reader.read(bytes(Events.orderPaid(USER, "ORDER-000001")), headers);

        assertThat(event.has("traceparent")).isFalse();
        assertThat(event.has("kafka.KEY")).isFalse();
    }

    @Test
    void binaryModeWithNonJsonValueIsAParseFailure() {
        RejectedEventException e = rejected(bytes("orderId=ORDER-000001"), binaryHeaders());

        assertThat(e.reason()).isEqualTo(RejectedEventException.PARSE);
        assertThat(e.getMessage()).contains("binary mode").contains("not JSON");
    }
}
