package io.mphub.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.testing.Events;
import io.mphub.testing.TestSecrets;
import org.junit.jupiter.api.Test;

class DataContractTest {

    private static final String USER = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
    private static final String SHIPPED = "{\"specversion\":\"1.0\",\"id\":\"evt-1\",\"source\":\"/miniprogram/"
            + Events.APP + "\",\"type\":\"mp.order.shipped\",\"time\":\"2026-01-01T08:00:00Z\",\"subject\":\"" + USER
            + "\",\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\","
            + "\"data\":" + Events.orderShipped(USER, "ORDER-000001") + "}";
    private static final String LOGIN = "{\"specversion\":\"1.0\",\"id\":\"evt-2\",\"source\":\"/miniprogram/"
            + Events.APP + "\",\"type\":\"mp.user.login\",\"time\":\"2026-01-01T08:00:00Z\",\"subject\":\"" + USER
            + "\",\"mphubaddress\":\"广东省深圳市南山区科技园\",\"mphubadcode\":\"440305\",\"data\":{\"appId\":\""
            + Events.APP + "\",\"openId\":\"" + USER + "\",\"unionId\":\"oUnion1\",\"ip\":\"203.0.113.77\","
            + "\"location\":{\"latitude\":22.543096,\"longitude\":113.934528},\"scene\":1001}}";
    private static final Set<String> PERSONAL = Set.of("subject", "mphubaddress", "mphubadcode", "data.openId",
            "data.unionId", "data.ip", "data.location", "data.receiverPhone");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Pseudonyms keyA = new Pseudonyms(TestSecrets.alphanumeric(40));
    private final Pseudonyms keyB = new Pseudonyms(TestSecrets.alphanumeric(40));

    private DataContract contract(Set<String> keep, Map<String, FieldRule> rules, Pseudonyms key) {
        return new DataContract(keep, rules, Optional.empty(), false, key, PERSONAL);
    }

    private JsonNode shared(DataContract contract, String event) throws Exception {
        return mapper.readTree(contract.apply(mapper, event.getBytes(StandardCharsets.UTF_8)).body());
    }

    @Test
    void keepsOnlyTheNamedDataFieldsAndLeavesTheEnvelopeAlone() throws Exception {
        JsonNode kept = shared(contract(Set.of("appId", "orderId", "transactionId"), Map.of(), null), SHIPPED);

        assertThat(kept.get("data")).isEqualTo(mapper.createObjectNode()
                .put("appId", Events.APP).put("orderId", "ORDER-000001"));
        ObjectNode envelope = ((ObjectNode) kept).deepCopy();
        envelope.remove("data");
        ObjectNode original = ((ObjectNode) mapper.readTree(SHIPPED)).deepCopy();
        original.remove("data");
        assertThat(envelope).isEqualTo(original);
    }

    @Test
    void aContractThatChangesNothingSendsTheVeryBytesAndNamesThePersonalFieldsSent() {
        byte[] event = SHIPPED.getBytes(StandardCharsets.UTF_8);

        DataContract.Shared shared = DataContract.all(PERSONAL).apply(mapper, event);

        assertThat(shared.body()).isSameAs(event);
        assertThat(shared.user()).isEqualTo(USER);
        assertThat(shared.sentAs()).isEqualTo(USER);
        assertThat(shared.appId()).isEqualTo(Events.APP);
        assertThat(shared.fields()).containsExactlyInAnyOrder("subject", "data.openId", "data.receiverPhone");
    }

    @Test
    void pseudonymizedUserIsOneStablePseudonymPerDestinationAndAnotherElsewhere() throws Exception {
        Map<String, FieldRule> rules = Map.of("subject", new FieldRule.Pseudonymize(), "data.openId",
                new FieldRule.Pseudonymize(), "data.unionId", new FieldRule.Pseudonymize());

        JsonNode atA = shared(contract(Set.of(), rules, keyA), LOGIN);
        JsonNode againAtA = shared(contract(Set.of(), rules, keyA), LOGIN);
        JsonNode atB = shared(contract(Set.of(), rules, keyB), LOGIN);

        String pseudonym = atA.get("subject").asText();
        assertThat(pseudonym).matches("[0-9a-f]{64}").isNotEqualTo(USER);
        assertThat(atA.path("data").path("openId").asText()).isEqualTo(pseudonym);
        assertThat(atA.path("data").path("unionId").asText()).matches("[0-9a-f]{64}").isNotEqualTo(pseudonym);
        assertThat(againAtA).isEqualTo(atA);
        assertThat(atB.get("subject").asText()).matches("[0-9a-f]{64}").isNotEqualTo(pseudonym);
        assertThat(contract(Set.of(), rules, keyA).apply(mapper, LOGIN.getBytes(StandardCharsets.UTF_8)).sentAs())
                .isEqualTo(pseudonym);
    }

    @Test
    void maskedPhoneCoarsenedIpLocationAndAdcodeDroppedAddress() throws Exception {
        Map<String, FieldRule> rules = new LinkedHashMap<>();
        rules.put("data.receiverPhone", new FieldRule.Mask());
        rules.put("data.ip", new FieldRule.Network());
        rules.put("data.location", new FieldRule.Round(2));
        rules.put("mphubadcode", new FieldRule.Division(true));
        rules.put("mphubaddress", new FieldRule.Drop());
        DataContract contract = contract(Set.of(), rules, null);

        JsonNode shipped = shared(contract, SHIPPED);
        JsonNode login = shared(contract, LOGIN);

        assertThat(mapper.readTree(SHIPPED).path("data").path("receiverPhone").asText()).isEqualTo("13800138000");
        assertThat(shipped.path("data").path("receiverPhone").asText()).isEqualTo("138****8000");
        assertThat(login.path("data").path("ip").asText()).isEqualTo("203.0.113.0");
        assertThat(login.path("data").path("location")).isEqualTo(mapper.createObjectNode()
                .put("latitude", 22.54).put("longitude", 113.93));
        assertThat(login.path("mphubadcode").asText()).isEqualTo("440300");
        assertThat(login.has("mphubaddress")).isFalse();
        assertThat(contract.apply(mapper, LOGIN.getBytes(StandardCharsets.UTF_8)).fields()).containsExactlyInAnyOrder(
                "subject", "data.openId", "data.unionId", "data.ip:coarsened", "data.location:coarsened",
                "mphubadcode:coarsened");
    }

    @Test
    void aValueARuleCannotApplyToIsRemovedNotPassedOn() throws Exception {
        String odd = LOGIN.replace("203.0.113.77", "not-an-ip").replace("\"440305\"", "\"Shenzhen\"");
        Map<String, FieldRule> rules = Map.of("data.ip", new FieldRule.Network(), "mphubadcode",
                new FieldRule.Division(true));

        JsonNode shared = shared(contract(Set.of(), rules, null), odd);

        assertThat(shared.path("data").has("ip")).isFalse();
        assertThat(shared.has("mphubadcode")).isFalse();
    }

    @Test
    void ipAddressesAreCutToTheirNetworkAndNothingElseIsLookedUp() {
        assertThat(Coarsening.network("203.0.113.77")).contains("203.0.113.0");
        assertThat(Coarsening.network("2001:db8:85a3:1234:5678::1")).contains("2001:db8:85a3::");
        assertThat(Coarsening.network("2001:db8::1")).contains("2001:db8::");
        assertThat(Coarsening.network("::ffff:198.51.100.9")).contains("198.51.100.0");
        // Host names, and what only looks like an address, are never resolved: removed instead.
        assertThat(Coarsening.network("cafe")).isEmpty();
        assertThat(Coarsening.network("dead.beef")).isEmpty();
        assertThat(Coarsening.network("999.1.1.1")).isEmpty();
        assertThat(Coarsening.network("1.2.3.4.5")).isEmpty();
        assertThat(Coarsening.network("2001:db8::zz")).isEmpty();
    }

    @Test
    void masksShowLessOfShorterValues() {
        assertThat(Coarsening.mask("13800138000")).isEqualTo("138****8000");
        assertThat(Coarsening.mask("+8613800138000")).isEqualTo("+86*******8000");
        assertThat(Coarsening.mask("12345678")).isEqualTo("12****78");
        assertThat(Coarsening.mask("1234567")).isEqualTo("*******");
    }

    @Test
    void anEventAboutTheMiniProgramConcernsNoUser() {
        String daily = "{\"id\":\"a-1\",\"type\":\"mp.analysis.daily_summary\",\"subject\":\"" + Events.APP
                + "\",\"data\":{\"appId\":\"" + Events.APP + "\",\"visitTotal\":3}}";

        assertThat(DataContract.all(PERSONAL).apply(mapper, daily.getBytes(StandardCharsets.UTF_8)).user()).isEmpty();
    }
}
