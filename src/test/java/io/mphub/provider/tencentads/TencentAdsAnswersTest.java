package io.mphub.provider.tencentads;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind.Encoded;
import io.mphub.deliver.BatchOutcome;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.provider.EventNames;
import io.mphub.testing.Events;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tencent Ads' answers, each code's outcome; and an event as a user action. */
class TencentAdsAnswersTest {

    // 23:00 in Beijing
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T15:00:00Z"), ZoneOffset.UTC);
    private final TencentAdsAnswers answers = new TencentAdsAnswers(new ObjectMapper(), new HttpAnswers(CLOCK), CLOCK);

    private Outcome classify(String body) {
        return ((BatchOutcome.All) answers.classify(200, Optional.empty(), body.getBytes(UTF_8))).outcome();
    }

    @Test
    void codeZeroIsDelivered() {
        assertThat(classify("{\"code\":0,\"message\":\"\",\"message_cn\":\"\"}")).isInstanceOf(Outcome.Delivered.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {11000, 11002, 11004, 11005, 11007, 11014})
    void aRefusedTokenPausesTheDestinationNamingTheSetting(int code) {
        Outcome.Refused refused = (Outcome.Refused) classify("{\"code\":" + code + ",\"message\":\"token invalid\"}");
        assertThat(refused.reason()).isEqualTo("tencentads_token");
        assertThat(refused.message()).contains(String.valueOf(code), "MPHUB_TENCENTADS_ACCESS_TOKEN");
    }

    @Test
    void rateLimitsWaitForTheirWindows() {
        assertThat(((Outcome.Retry) classify("{\"code\":11016}")).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(((Outcome.Wait) classify("{\"code\":11017}")).window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(((Outcome.Wait) classify("{\"code\":11018}")).window()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anyOtherCodeRefusesWhatTheRequestCarriesAndAnythingElseIsAsForAWebhook() {
        Outcome.Permanent p = (Outcome.Permanent) classify("{\"code\":31001,\"message\":\"invalid action\","
                + "\"message_cn\":\"参数错误\"}");
        assertThat(p.reason()).isEqualTo("code_31001");
        assertThat(p.message()).contains("invalid action", "参数错误");
        assertThat(classify("<html>busy</html>")).isInstanceOf(Outcome.Retry.class);
        assertThat(classify("{\"code\":30001,\"message\":\"system exception\"}")).isInstanceOf(Outcome.Retry.class);
        assertThat(classify("{\"code\":10000}")).isInstanceOf(Outcome.Retry.class);
        assertThat(((BatchOutcome.All) answers.classify(503, Optional.empty(), new byte[0])).outcome())
                .isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void anEventBecomesAnActionAndAnUnmappedTypeIsSkipped() throws Exception {
        TencentAdsActions actions = new TencentAdsActions(new ObjectMapper(),
                new EventNames(Map.of("mp.order.paid", "PURCHASE")));
        String paid = Events.structured("e-1", "mp.order.paid", "oU", Events.orderPaid("oU", "ORDER00001"));

        Encoded action = actions.encode(new BatchEvent("e-1", "mp.order.paid", paid.getBytes(UTF_8)));
        var json = new ObjectMapper().readTree(action.bytes());
        assertThat(json.path("action_type").asText()).isEqualTo("PURCHASE");
        assertThat(json.at("/user_id/wechat_openid").asText()).isEqualTo("oU");
        assertThat(json.at("/action_param/value").asLong()).isEqualTo(1999);
        // SHA-256 of "e-1", computed independently (printf '%s' e-1 | sha256sum)
        assertThat(json.path("outer_action_id").asText())
                .isEqualTo("b94f523196aaacd8bdb9ef0d8cf2e1d8f9b766ab5097f086ff541b7112699b7b");
        assertThat(actions.encode(new BatchEvent("e-2", "mp.user.login", paid.getBytes(UTF_8))).skipped().reason())
                .isEqualTo("no_action_type");
    }
}
