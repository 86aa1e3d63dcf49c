package io.mphub.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.config.Settings;
import io.mphub.testing.Contracts;
import io.mphub.testing.TestSecrets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A destination file's data contract as start-up reads and checks it: every problem names the file and line. */
class DataContractsTest {

    private static final String FILE = "routes/destinations/partner.camel.yaml";
    private static Map<String, JsonNode> fields;
    private final Map<String, String> settings = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    @BeforeAll
    static void contract() throws Exception {
        fields = Contracts.load(new ObjectMapper()).fields();
    }

    private DataContract read(Map<String, String> real, String... nameValue) {
        List<RouteFiles.Parameter> parameters = new ArrayList<>();
        parameters.add(new RouteFiles.Parameter("destination", new RouteFiles.Found(FILE, 20, "partner")));
        for (int i = 0; i < nameValue.length; i += 2) {
            parameters.add(new RouteFiles.Parameter(nameValue[i], new RouteFiles.Found(FILE, 22 + i, nameValue[i + 1])));
        }
        Settings.Reader reader = new Settings(k -> Optional.ofNullable(settings.get(k))).reader(problems);
        return DataContracts.read(reader, "partner", "webhook", parameters, fields, real);
    }

    private List<String> problems() {
        return problems.stream().map(p -> p.where() + ": " + p.what() + " → " + p.fix()).toList();
    }

    @Test
    void theSchemasMarkThePersonalFields() {
        assertThat(fields).containsKeys("subject", "mphubaddress", "mphubadcode", "data.openId", "data.location",
                "data.location.latitude", "data.amount.total");
        assertThat(DataContracts.read(new Settings(k -> Optional.empty()).reader(problems), "partner", "webhook",
                List.of(), fields, Map.of()).personal().paths()).containsExactlyInAnyOrder("subject", "mphubaddress",
                "mphubadcode", "data.openId", "data.unionId", "data.ip", "data.location", "data.receiverPhone");
    }

    @Test
    void aFullContractReadsIntoItsRules() {
        settings.put("mphub.destinations.partner.pseudonym-key", TestSecrets.alphanumeric(40));

        DataContract contract = read(Map.of(), "keep", "data.appId, data.openId, data.ip, data.location",
                "pseudonymize", "subject, data.openId", "mask", "data.receiverPhone",
                "coarsen", "data.ip, data.location:1, mphubadcode:province", "drop", "mphubaddress",
                "consent", "analytics");

        assertThat(problems()).isEmpty();
        assertThat(contract.keep()).containsExactlyInAnyOrder("appId", "openId", "ip", "location");
        assertThat(contract.rules()).containsEntry("subject", new FieldRule.Pseudonymize())
                .containsEntry("data.receiverPhone", new FieldRule.Mask())
                .containsEntry("data.ip", new FieldRule.Network())
                .containsEntry("data.location", new FieldRule.Round(1))
                .containsEntry("mphubadcode", new FieldRule.Division(false))
                .containsEntry("mphubaddress", new FieldRule.Drop());
        assertThat(contract.consent()).contains("analytics");
        assertThat(contract.deliverWithoutRecord()).isFalse();
    }

    @Test
    void everyWrongRuleIsAProblemAtItsFileAndLine() {
        read(Map.of(), "pseudonymise", "subject", "drop", "data.phone", "coarsen", "data.location",
                "mask", "data.location", "keep", "data.location.latitude", "consent", "Analytics!");

        assertThat(problems()).containsExactly(
                FILE + ":22: unknown parameter 'pseudonymise' → use one of [coarsen, consent, drop, keep, mask,"
                        + " pseudonymize] (docs/privacy.md), or destination, concurrency",
                FILE + ":24: drop: unknown field 'data.phone' → use a field of the event contract (schemas/), written"
                        + " as subject, mphubaddress, mphubadcode or data.<field>",
                FILE + ":26: coarsen: 'data.location' needs the decimals to keep, 0 to 6: data.location:2 → write it as"
                        + " data.ip, data.location:2 or mphubadcode:city; drop what cannot be coarsened",
                FILE + ":28: mask: 'data.location' is not text → mask applies to text fields; use drop for the others",
                FILE + ":30: keep: 'data.location.latitude' is not a field of data → keep names fields of data, as"
                        + " data.<field>; to remove another, use drop",
                FILE + ":32: consent scope 'Analytics!' is not a scope name → name one scope in lower case, e.g."
                        + " analytics (the name mp.user.consent events grant)");
    }

    @Test
    void aPseudonymizingContractNeedsALongEnoughKey() {
        read(Map.of(), "pseudonymize", "subject, data.openId, data.unionId");
        settings.put("mphub.destinations.partner.pseudonym-key", "tiny-key");
        read(Map.of(), "pseudonymize", "subject, data.openId, data.unionId");

        assertThat(problems()).hasSize(2);
        assertThat(problems().get(0)).contains("MPHUB_DESTINATIONS_PARTNER_PSEUDONYM_KEY")
                .contains("destination 'partner' pseudonymizes fields and has no key");
        assertThat(problems().get(1)).contains("is shorter than 32 bytes").doesNotContain("tiny-key");
    }

    @Test
    void aKindThatNeedsTheRealOpenIdRefusesAContractThatChangesOrRemovesIt() {
        Map<String, String> real = Map.of("data.openId", "the payer's openid: WeChat Pay charges this user");
        settings.put("mphub.destinations.partner.pseudonym-key", TestSecrets.alphanumeric(40));

        read(real, "pseudonymize", "subject, data.openId, data.unionId");
        read(real, "keep", "data.appId, data.orderId");

        assertThat(problems()).containsExactly(
                FILE + ":22: destination 'partner' is of kind webhook, which needs the real data.openId (the payer's"
                        + " openid: WeChat Pay charges this user), and this contract has it pseudonymized → leave"
                        + " data.openId as it is for this destination",
                FILE + ":22: destination 'partner' is of kind webhook, which needs the real data.openId (the payer's"
                        + " openid: WeChat Pay charges this user), and this contract does not keep it → leave"
                        + " data.openId as it is for this destination");
    }

    @Test
    void aUserIdPseudonymizedInOneFieldMayNotGoOutPlainInAnother() {
        settings.put("mphub.destinations.partner.pseudonym-key", TestSecrets.alphanumeric(40));

        read(Map.of(), "pseudonymize", "subject");
        assertThat(problems()).containsExactly(
                FILE + ":22: the contract pseudonymizes subject but sends data.openId, which holds the same user's id,"
                        + " as it is → pseudonymize or drop data.openId too",
                FILE + ":22: the contract pseudonymizes subject but sends data.unionId, which holds the same user's"
                        + " id, as it is → pseudonymize or drop data.unionId too");

        problems.clear();
        read(Map.of(), "pseudonymize", "subject, data.openId", "drop", "data.unionId");
        read(Map.of(), "pseudonymize", "subject", "keep", "data.appId, data.page");
        assertThat(problems()).isEmpty();
    }

    @Test
    void withoutRecordIsOnlyForADestinationThatNeedsConsent() {
        settings.put("mphub.destinations.partner.consent.without-record", "deliver");

        assertThat(read(Map.of(), "consent", "marketing").deliverWithoutRecord()).isTrue();
        read(Map.of());

        assertThat(problems()).singleElement().asString()
                .contains("mphub.destinations.partner.consent.without-record")
                .contains("applies only to a destination whose file names a consent scope");
    }
}
