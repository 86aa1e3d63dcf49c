package io.mphub.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.testing.Events;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventContractTest {

    static final Path SCHEMAS = Path.of("schemas");
    static final String TIME = "2026-01-01T08:00:00Z";
    static final String USER = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static EventContract contract;

    @BeforeAll
    static void loadContract() throws IOException {
        contract = load(SCHEMAS);
    }

    /** As HubStart does: every *.json but cloudevent.json is the data schema named by its file name. */
    static EventContract load(Path dir) throws IOException {
        Set<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .filter(n -> !n.equals("cloudevent")).collect(Collectors.toSet());
        }
        return EventContract.load(MAPPER, names, name -> {
            try {
                return Files.newInputStream(dir.resolve(name + ".json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static String event(String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"evt-1\",\"source\":\"/miniprogram/" + Events.APP + "\",\"type\":\""
                + type + "\",\"time\":\"" + TIME + "\",\"subject\":\"" + USER
                + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    private static ObjectNode node(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RejectedEventException rejected(ObjectNode event) {
        RejectedEventException e = catchThrowableOfType(RejectedEventException.class, () -> contract.check(event));
        assertThat(e).as("the contract should reject %s", event).isNotNull();
        return e;
    }

    private static ObjectNode orderCreated() {
        return node(event("mp.order.created", Events.orderCreated(USER, "ORDER-000001")));
    }

    @Test
    void everySchemaFileBesidesTheEnvelopeIsADataSchema() {
        assertThat(contract.dataSchemaNames()).containsExactlyInAnyOrder("mp.user.login", "mp.order.created",
                "mp.order.paid", "mp.order.shipped", "mp.order.refunded", "mp.behaviour",
                "mp.payment.prepared", "mp.payment.succeeded", "mp.logistics.updated", "mp.analysis.daily_summary",
                "mp.analysis.daily_visit_trend", "mp.analysis.daily_retention", "mp.analysis.visit_distribution",
                "mp.analysis.visit_page", "mp.analysis.user_portrait", "mp.user.consent", "mp.cs.session_started",
                "mp.cs.session_ended", "mp.cs.message", "mp.cs.rating_requested", "mp.cs.rated", "mp.cs.customer_updated",
                "mp.cloud.function_returned");
    }

    @Test
    void validEventsOfEveryTypePass() {
        String login = "{\"appId\":\"" + Events.APP + "\",\"openId\":\"" + USER + "\",\"unionId\":\"u-1\",\"scene\":1001,"
                + "\"platform\":\"ios\",\"ip\":\"203.0.113.7\",\"location\":{\"latitude\":31.23,\"longitude\":121.47}}";
        for (String json : new String[] {
                event("mp.user.login", login),
                event("mp.user.login", Events.login(USER)),
                event("mp.order.created", Events.orderCreated(USER, "ORDER-000001")),
                event("mp.order.paid", Events.orderPaid(USER, "ORDER-000001")),
                event("mp.order.shipped", Events.orderShipped(USER, "ORDER-000001")),
                event("mp.order.refunded", Events.orderRefunded(USER, "ORDER-000001")),
                event("mp.behaviour.page_view", Events.behaviour(USER, "pages/index/index")),
                event("mp.behaviour.add_to_cart", "{\"appId\":\"" + Events.APP + "\",\"openId\":\"" + USER
                        + "\",\"page\":\"pages/item/item\",\"element\":\"buy\",\"query\":\"sku=T-1\","
                        + "\"properties\":{\"sku\":\"T-1\"}}")}) {
            assertThatCode(() -> contract.check(node(json))).as(json).doesNotThrowAnyException();
        }
    }

    @Test
    void knowsEveryBehaviourTypeButNotOtherUnknownTypes() {
        assertThat(contract.knows("mp.behaviour.share")).isTrue();
        assertThat(contract.knows("mp.order.paid")).isTrue();
        assertThat(contract.knows("mp.order.exploded")).isFalse();
    }

    @Test
    void missingIdIsAnEnvelopeFailureNamingId() {
        ObjectNode event = orderCreated();
        event.remove("id");

        RejectedEventException e = rejected(event);

        assertThat(e.reason()).isEqualTo(RejectedEventException.ENVELOPE);
        assertThat(e.getMessage()).contains("'id'").contains("(rule: required)");
    }

    @Test
    void wrongSpecversionIsAnEnvelopeFailureNamingSpecversion() {
        ObjectNode event = orderCreated();
        event.put("specversion", "0.3");

        RejectedEventException e = rejected(event);

        assertThat(e.reason()).isEqualTo(RejectedEventException.ENVELOPE);
        assertThat(e.getMessage()).contains("/specversion").contains("(rule: const)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-01-01", "2026-01-01 08:00:00", "2026-13-01T08:00:00Z"})
    void timeThatIsNotRfc3339IsAnEnvelopeFailureNamingTime(String time) {
        ObjectNode event = orderCreated();
        event.put("time", time);

        RejectedEventException e = rejected(event);

        assertThat(e.reason()).isEqualTo(RejectedEventException.ENVELOPE);
        assertThat(e.getMessage()).contains("/time").contains("(rule: format)");
    }

    @Test
    void unknownTypeIsRejectedListingTheKnownTypes() {
        RejectedEventException e = rejected(node(event("mp.order.exploded", Events.orderCreated(USER, "ORDER-000001"))));

        assertThat(e.reason()).isEqualTo(RejectedEventException.UNKNOWN_TYPE);
        assertThat(e.getMessage()).contains("mp.order.exploded")
                .contains("mp.user.login", "mp.order.created", "mp.order.paid", "mp.order.shipped",
                        "mp.order.refunded", "mp.behaviour.*");
    }

    @Test
    void amountTotalAsStringIsASchemaFailureNamingPathAndRule() {
        ObjectNode event = orderCreated();
        ((ObjectNode) event.get("data").get("amount")).put("total", "1999");

        RejectedEventException e = rejected(event);

        assertThat(e.reason()).isEqualTo(RejectedEventException.SCHEMA);
        assertThat(e.getMessage()).contains("/data/amount/total").contains("(rule: type)");
    }

    @Test
    void missingRequiredOrderIdIsASchemaFailureNamingTheField() {
        ObjectNode event = orderCreated();
        ((ObjectNode) event.get("data")).remove("orderId");

        RejectedEventException e = rejected(event);

        assertThat(e.reason()).isEqualTo(RejectedEventException.SCHEMA);
        assertThat(e.getMessage()).startsWith("/data: ").contains("'orderId'").contains("(rule: required)");
    }

    @Test
    void unexpectedExtraFieldIsASchemaFailureNamingTheField() {
        ObjectNode event = node(event("mp.order.shipped", Events.orderShipped(USER, "ORDER-000001")));
        ((ObjectNode) event.get("data")).put("giftWrap", true);

        RejectedEventException e = rejected(event);

        assertThat(e.reason()).isEqualTo(RejectedEventException.SCHEMA);
        assertThat(e.getMessage()).startsWith("/data: ").contains("'giftWrap'").contains("(rule: additionalProperties)");
    }

    @Test
    void extraFieldInBehaviourDataIsASchemaFailure() {
        ObjectNode event = node(event("mp.behaviour.tap", Events.behaviour(USER, "pages/index/index")));
        ((ObjectNode) event.get("data")).put("phone", "13800138000");

        RejectedEventException e = rejected(event);

        assertThat(e.reason()).isEqualTo(RejectedEventException.SCHEMA);
        assertThat(e.getMessage()).contains("'phone'").contains("(rule: additionalProperties)");
    }

    @Test
    void everyBrokenRuleIsNamedInOneMessage() {
        ObjectNode event = orderCreated();
        ObjectNode data = (ObjectNode) event.get("data");
        data.remove("orderId");
        ((ObjectNode) data.get("amount")).put("total", "1999");

        RejectedEventException e = rejected(event);

        assertThat(e.getMessage()).contains("orderId", "(rule: required)", "/data/amount/total", "(rule: type)");
    }
}
