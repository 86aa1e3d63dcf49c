package io.mphub.provider.kuaidi100;

import java.net.URLEncoder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kuaidi100.sdk.utils.SignUtils;
import io.mphub.callback.Callback;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Settings;
import io.mphub.event.EventContract;
import io.mphub.event.Results;
import io.mphub.kafka.OutboxWriteException;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.Kuaidi100SubscriptionSalt;
import io.mphub.testing.Contracts;
import io.mphub.testing.Events;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The push callback on its own: what it publishes for a push, and what it refuses and how it answers. */
class Kuaidi100CallbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MASTER = "k100-master-salt-0123456789abcdef";
    private static final String QUERY = "appId=" + Events.APP + "&openId=oUser1&orderId=ORDER20261124001"
            + "&waybillNo=SF1234567890";
    static final String PUSH = "{\"status\":\"polling\",\"billstatus\":\"got\",\"message\":\"\",\"lastResult\":{"
            + "\"message\":\"ok\",\"state\":\"0\",\"status\":\"200\",\"condition\":\"00\",\"ischeck\":\"0\","
            + "\"com\":\"shunfeng\",\"nu\":\"SF1234567890\",\"data\":["
            + "{\"context\":\"快件已发车\",\"time\":\"2026-11-24 09:00:00\",\"ftime\":\"2026-11-24 09:00:00\","
            + "\"areaName\":\"广东,深圳市\",\"status\":\"在途\"},"
            + "{\"context\":\"顺丰速运 已收取快件\",\"time\":\"2026-11-24 08:00:00\",\"ftime\":\"2026-11-24 08:00:00\","
            + "\"areaName\":\"广东,深圳市,南山区\",\"status\":\"揽收\"}]}}";

    private record Published(String id, String subject, ObjectNode data) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final Kuaidi100SubscriptionSalt salts = new Kuaidi100SubscriptionSalt(MASTER);
    private final Kuaidi100Callback callback = new Kuaidi100Callback(salts,
            (id, subject, data) -> published.add(new Published(id, subject, data)), JSON);

    private String saltFor(String appId, String openId, String orderId, String waybill) {
        return salts.derive(appId, openId, orderId, waybill);
    }

    /** Signed as Kuaidi100 signs, with its SDK's MD5: UPPER(MD5(param + salt)). */
    private static String sign(String param, String salt) {
        return SignUtils.sign(param + salt);
    }

    private static String form(String param, String sign) {
        return "param=" + URLEncoder.encode(param, UTF_8) + (sign == null ? "" : "&sign=" + sign);
    }

    private Callback.Answer post(String body, String query) {
        return callback.handle(new Callback.Request(Map.of("Content-Type",
                List.of("application/x-www-form-urlencoded")), body.getBytes(UTF_8), query));
    }

    private Callback.Answer validPush(String push) {
        return post(form(push, sign(push, saltFor(Events.APP, "oUser1", "ORDER20261124001", "SF1234567890"))), QUERY);
    }

    @Test
    void verifiedPushIsPublishedAsLogisticsUpdatedAndAnsweredInKuaidi100sFormat() throws Exception {
        Callback.Answer answer = validPush(PUSH);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.outcome()).isEqualTo("accepted");
        assertThat(JSON.readTree(answer.body())).isEqualTo(JSON.readTree(
                "{\"result\":true,\"returnCode\":\"200\",\"message\":\"成功\"}"));
        assertThat(published).hasSize(1);
        Published p = published.get(0);
        assertThat(p.subject()).isEqualTo("oUser1");
        assertThat(p.id()).matches("kuaidi100-[0-9a-f]{32}");
        assertThat(p.data()).isEqualTo(JSON.readTree("{\"appId\":\"" + Events.APP + "\",\"orderId\":\"ORDER20261124001\","
                + "\"openId\":\"oUser1\",\"carrier\":\"shunfeng\",\"waybillNo\":\"SF1234567890\",\"state\":\"0\","
                + "\"status\":\"polling\","
                + "\"latest\":{\"time\":\"2026-11-24 09:00:00\",\"context\":\"快件已发车\",\"location\":\"广东,深圳市\"},"
                + "\"checkpoints\":[{\"time\":\"2026-11-24 09:00:00\",\"context\":\"快件已发车\",\"location\":\"广东,深圳市\"},"
                + "{\"time\":\"2026-11-24 08:00:00\",\"context\":\"顺丰速运 已收取快件\",\"location\":\"广东,深圳市,南山区\"}]}"));
    }

    @Test
    void whatItPublishesPassesTheHubsOwnContract() throws Exception {
        validPush(PUSH);
        EventContract contract = Contracts.load(JSON);
        Published p = published.get(0);
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", p.id()).put("source", Results.SOURCE)
                .put("type", TrackingUpdate.TYPE).put("time", "2026-11-24T01:00:00Z").put("subject", p.subject())
                .put("datacontenttype", "application/json");
        event.set("data", p.data());

        assertThatCode(() -> contract.check(event)).doesNotThrowAnyException();
    }

    @Test
    void aRepeatedPushYieldsTheSameIdAndANewCheckpointANewOne() {
        validPush(PUSH);
        validPush(PUSH);
        String later = PUSH.replace("\"data\":[", "\"data\":[{\"context\":\"已签收\",\"time\":\"2026-11-25 10:00:00\"},")
                .replace("\"state\":\"0\"", "\"state\":\"3\"");
        validPush(later);

        assertThat(published).extracting(Published::id).hasSize(3);
        assertThat(published.get(0).id()).isEqualTo(published.get(1).id());
        assertThat(published.get(2).id()).isNotEqualTo(published.get(0).id());
        assertThat(published.get(2).data().get("latest").get("context").asText()).isEqualTo("已签收");
    }

    @Test
    void twoOrdersShippedUnderOneWaybillGetDistinctIdsForTheSamePush() {
        validPush(PUSH);
        String otherOrder = "appId=" + Events.APP + "&openId=oUser2&orderId=ORDER20261124002&waybillNo=SF1234567890";
        post(form(PUSH, sign(PUSH, saltFor(Events.APP, "oUser2", "ORDER20261124002", "SF1234567890"))), otherOrder);
        String sameUserOtherOrder = "appId=" + Events.APP + "&openId=oUser1&orderId=ORDER20261124003"
                + "&waybillNo=SF1234567890";
        post(form(PUSH, sign(PUSH, saltFor(Events.APP, "oUser1", "ORDER20261124003", "SF1234567890"))),
                sameUserOtherOrder);

        assertThat(published).extracting(p -> p.data().get("orderId").asText())
                .containsExactly("ORDER20261124001", "ORDER20261124002", "ORDER20261124003");
        assertThat(published).extracting(Published::id).doesNotHaveDuplicates();
    }

    @Test
    void signIsComparedWithoutRegardToCase() {
        String sign = sign(PUSH, saltFor(Events.APP, "oUser1", "ORDER20261124001", "SF1234567890")).toLowerCase();

        assertThat(post(form(PUSH, sign), QUERY).status()).isEqualTo(200);
    }

    @Test
    void badSignIsRefusedWith401AndNothingPublished() throws Exception {
        Callback.Answer answer = post(form(PUSH, sign(PUSH, "another-salt")), QUERY);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.outcome()).isEqualTo("bad_signature");
        assertThat(JSON.readTree(answer.body()).get("result").asBoolean()).isFalse();
        assertThat(post(form(PUSH, null), QUERY).status()).isEqualTo(401);
        assertThat(published).isEmpty();
    }

    @Test
    void aPushWhoseQueryWasEditedFailsItsSignature() {
        String sign = sign(PUSH, saltFor(Events.APP, "oUser1", "ORDER20261124001", "SF1234567890"));

        assertThat(post(form(PUSH, sign), QUERY.replace("oUser1", "oVictim")).status()).isEqualTo(401);
        assertThat(post(form(PUSH, sign), QUERY.replace("ORDER20261124001", "ORDER20261124999")).status()).isEqualTo(401);
        // the query's waybill is in the salt too: a genuine push replayed as another parcel's fails
        assertThat(post(form(PUSH, sign), QUERY.replace("waybillNo=SF1234567890", "waybillNo=SF0000000001")).status())
                .isEqualTo(401);
        assertThat(published).isEmpty();
    }

    @Test
    void aNumberKuaidi100WroteItsOwnWayStillVerifiesAndIsPublishedAsTheSubscribedNumber() {
        // The salt comes from the query's waybillNo, so Kuaidi100's spelling of lastResult.nu cannot break it.
        String normalised = PUSH.replace("\"nu\":\"SF1234567890\"", "\"nu\":\"sf 1234 567890\"");

        Callback.Answer answer = post(form(normalised, sign(normalised,
                saltFor(Events.APP, "oUser1", "ORDER20261124001", "SF1234567890"))), QUERY);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(published).singleElement().satisfies(p -> assertThat(p.data().get("waybillNo").asText())
                .isEqualTo("SF1234567890"));
    }

    @Test
    void aSignedPushForAnotherNumberThanTheSubscriptionsIsRefusedWith400() {
        String other = PUSH.replace("SF1234567890", "SF0000000001");

        Callback.Answer answer = post(form(other, sign(other,
                saltFor(Events.APP, "oUser1", "ORDER20261124001", "SF1234567890"))), QUERY);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.outcome()).isEqualTo("malformed");
        assertThat(answer.detail()).contains("waybillNo");
        assertThat(published).isEmpty();
    }

    @Test
    void malformedPushesAreRefusedWith400AndNothingPublished() {
        String salt = saltFor(Events.APP, "oUser1", "ORDER20261124001", "SF1234567890");
        String noNu = PUSH.replace("\"nu\":\"SF1234567890\",", "");
        String noState = PUSH.replace("\"state\":\"0\",", "");

        assertThat(post("sign=ABC", QUERY).status()).as("no param").isEqualTo(400);
        assertThat(post(form("not json", sign("not json", salt)), QUERY).status()).as("not JSON").isEqualTo(400);
        assertThat(post(form("{\"status\":\"polling\"}", "ABC"), QUERY).status()).as("no lastResult").isEqualTo(400);
        assertThat(post(form(noNu, sign(noNu, salt)), QUERY).status()).as("no nu").isEqualTo(400);
        assertThat(post(form(noState, sign(noState, salt)), QUERY).status()).as("no state").isEqualTo(400);
        assertThat(post(form(PUSH, sign(PUSH, salt)), null).status()).as("no query").isEqualTo(400);
        assertThat(post(form(PUSH, sign(PUSH, salt)), "appId=" + Events.APP + "&openId=oUser1&waybillNo=SF1234567890")
                .status()).as("no orderId").isEqualTo(400);
        assertThat(post(form(PUSH, sign(PUSH, salt)), QUERY.replace("&waybillNo=SF1234567890", "")).status())
                .as("no waybillNo").isEqualTo(400);
        assertThat(post(form(PUSH, sign(PUSH, salt)), QUERY + "&openId=oOther").status()).as("openId twice")
                .isEqualTo(400);
        assertThat(post(form(PUSH, sign(PUSH, salt)), QUERY).status()).isEqualTo(200);
        assertThat(published).hasSize(1);
    }

    @Test
    void aPublishThatIsNotAcknowledgedInTimeAnswersFailureSoKuaidi100PushesAgain() throws Exception {
        // What Results.publish throws when Kafka does not acknowledge within its deadline (see OutboxDeadlineIT).
        Kuaidi100Callback slow = new Kuaidi100Callback(salts, (id, subject, data) -> {
            throw new OutboxWriteException("Kafka did not acknowledge within 5000 ms", new TimeoutException());
        }, JSON);
        String push = PUSH;
        Callback.Answer answer = slow.handle(new Callback.Request(Map.of(),
                form(push, sign(push, saltFor(Events.APP, "oUser1", "ORDER20261124001", "SF1234567890")))
                        .getBytes(UTF_8), QUERY));

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.outcome()).isEqualTo("error");
        assertThat(answer.detail()).contains("did not acknowledge within 5000 ms");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("result").asBoolean()).isFalse();
        assertThat(body.get("returnCode").asText()).isEqualTo("500");
    }

    @Test
    void withoutAMasterSaltThereIsNoPushCallback() {
        List<Problem> problems = new ArrayList<>();

        assertThat(callbacks(Map.of(), problems)).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void aMasterSaltShorterThan16CharactersStopsStartUpEvenWithoutAKuaidi100Destination() {
        // Only the salt is set: no destination of kind kuaidi100 whose settings would have caught it.
        List<Problem> problems = new ArrayList<>();
        callbacks(Map.of("mphub.kuaidi100.salt", "short-salt-15ch"), problems);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.kuaidi100.salt (MPHUB_KUAIDI100_SALT)");
            assertThat(p.what()).contains("shorter than 16 characters");
            assertThat(p.toString()).doesNotContain("short-salt-15ch");
        });
    }

    @Test
    void aMasterSaltOf16CharactersServesThePushCallback() {
        List<Problem> problems = new ArrayList<>();

        assertThat(callbacks(Map.of("mphub.kuaidi100.salt", "sixteen-chars-16"), problems))
                .containsOnlyKeys(Kuaidi100Callback.NAME);
        assertThat(problems).isEmpty();
    }

    /** The provider's callbacks with only these settings and no kuaidi100 destination. */
    private static Map<String, Callback> callbacks(Map<String, String> properties, List<Problem> problems) {
        Provider.Configured provider = new Kuaidi100Provider().configure(new Settings(key -> Optional.ofNullable(
                properties.get(key))).reader(problems), List.of(), null);
        return provider.callbacks(new ProviderContext(Clock.systemUTC(), JSON, null, null));
    }

    @Test
    void aFailedPublishAnswersFailure() {
        Kuaidi100Callback failing = new Kuaidi100Callback(salts, (id, subject, data) -> {
            throw new IllegalStateException("Kafka refused");
        }, JSON);
        Callback.Answer answer = failing.handle(new Callback.Request(Map.of(),
                form(PUSH, sign(PUSH, saltFor(Events.APP, "oUser1", "ORDER20261124001", "SF1234567890")))
                        .getBytes(UTF_8), QUERY));

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.detail()).contains("Kafka refused");
    }
}
