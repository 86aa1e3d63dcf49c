package io.mphub.provider.wechat;

import java.time.Duration;
import java.time.Instant;

import io.mphub.deliver.Outcome;
import io.mphub.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every errcode class of WeChat's server APIs and of the token API, and the quota windows, on a test clock. */
class WeChatAnswersTest {

    /** 23:59:30 in Beijing, 10 s before a minute ends. */
    private final TestClock clock = TestClock.fixed(Instant.parse("2026-03-01T15:59:30Z"));
    private final WeChatAnswers answers = new WeChatAnswers(new QuotaWindows(clock));
    private static final String SEND = "subscribeMessage.send";

    @Test
    void zeroIsDelivered() {
        assertThat(answers.classify(SEND, 0, "ok")).isInstanceOf(Outcome.Delivered.class);
    }

    @Test
    void dailyQuotaWaitsUntilMidnightInBeijing() {
        Outcome.Wait wait = (Outcome.Wait) answers.classify(SEND, 45009, "reach max api daily quota limit");
        assertThat(wait.reason()).isEqualTo("errcode_45009");
        assertThat(wait.window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(wait.message()).contains("45009").contains("reach max api daily quota limit");

        clock.set(Instant.parse("2026-03-01T16:00:00Z")); // midnight in Beijing: a whole day to wait
        assertThat(((Outcome.Wait) answers.classify(SEND, 45009, "")).window()).isEqualTo(Duration.ofDays(1));
        clock.set(Instant.parse("2026-03-01T03:00:00Z")); // 11:00 in Beijing
        assertThat(((Outcome.Wait) answers.classify(SEND, 45009, "")).window()).isEqualTo(Duration.ofHours(13));
    }

    @Test
    void minuteQuotaWaitsUntilTheNextMinute() {
        clock.set(Instant.parse("2026-03-01T03:00:49.250Z"));
        Outcome.Wait wait = (Outcome.Wait) answers.classify(SEND, 45011, "api minute-quota reach limit");
        assertThat(wait.reason()).isEqualTo("errcode_45011");
        assertThat(wait.window()).isEqualTo(Duration.ofMillis(10_750));
    }

    @Test
    void busyIsRetriedWithBackoff() {
        Outcome.Retry retry = (Outcome.Retry) answers.classify(SEND, -1, "system error");
        assertThat(retry.reason()).isEqualTo("busy");
        assertThat(retry.retryAfter()).isNull();
    }

    @Test
    void cloudDevelopmentNotEnabledIsDeadLetteredSayingWhere() {
        Outcome.Permanent p = (Outcome.Permanent) answers.classify("invokeCloudFunction", 85088, "no qbase privilege");
        assertThat(p.reason()).isEqualTo("errcode_85088");
        assertThat(p.message()).contains("no qbase privilege", "云开发");
        assertThat(((Outcome.Retry) answers.classify("invokeCloudFunction", -1000, "system error")).reason())
                .isEqualTo("busy");
    }

    @Test
    void declinedByTheUserIsSkippedNotDeadLettered() {
        Outcome.Skipped skipped = (Outcome.Skipped) answers.classify(SEND, 43101, "user refuse to accept the msg");
        assertThat(skipped.reason()).isEqualTo("declined");
        assertThat(skipped.message()).contains("user refuse to accept the msg");
    }

    @ParameterizedTest
    @ValueSource(ints = {40001, 40014, 42001})
    void invalidTokenAgainAfterRenewalIsRetried(int errcode) {
        assertThat(WeChatAnswers.invalidToken(errcode)).isTrue();
        assertThat(((Outcome.Retry) answers.classify(SEND, errcode, "invalid credential")).reason()).isEqualTo("token_invalid");
    }

    @ParameterizedTest
    @ValueSource(ints = {40003, 40037, 47003, 41030, 43107})
    void otherCodesAreDeadLetteredWithCodeAndMessage(int errcode) {
        Outcome.Permanent p = (Outcome.Permanent) answers.classify(SEND, errcode, "argument invalid! data.thing1.value invalid");
        assertThat(p.reason()).isEqualTo("errcode_" + errcode);
        assertThat(p.message()).isEqualTo("WeChat errcode " + errcode + ": argument invalid! data.thing1.value invalid");
        assertThat(WeChatAnswers.invalidToken(errcode)).isFalse();
    }

    @Test
    void refusedCredentialsWaitForTheRejectionWindow() {
        TokenException e = StableTokenClient.refused("wx00000000000000a1", 40125, "invalid appsecret")
                .after(Duration.ofMinutes(10));
        Outcome.Wait wait = (Outcome.Wait) answers.tokenFailure(e);
        assertThat(wait.reason()).isEqualTo("token_errcode_40125");
        assertThat(wait.window()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void tokenQuotaWaitsAndTokenTroubleIsRetried() {
        assertThat(((Outcome.Wait) answers.tokenFailure(StableTokenClient.refused("wx00000000000000a1", 45009, "")))
                .window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(((Outcome.Wait) answers.tokenFailure(StableTokenClient.refused("wx00000000000000a1", 45011, "")))
                .window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(((Outcome.Retry) answers.tokenFailure(StableTokenClient.refused("wx00000000000000a1", -1, "")))
                .reason()).isEqualTo("token_errcode_-1");
        TokenException stillInvalid = new TokenException(TokenException.Failure.STILL_INVALID, "token_invalid", "x",
                Duration.ofSeconds(12));
        assertThat(((Outcome.Retry) answers.tokenFailure(stillInvalid)).retryAfter()).isEqualTo(Duration.ofSeconds(12));
    }
}
