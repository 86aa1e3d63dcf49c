package io.mphub.provider.kuaidi100;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.provider.CodedAnswers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Kuaidi100AnswersTest {

    private final Counter alreadySubscribed = new SimpleMeterRegistry().counter(Kuaidi100Answers.ALREADY_SUBSCRIBED);
    private final Kuaidi100Answers answers = new Kuaidi100Answers(new ObjectMapper(),
            new HttpAnswers(Clock.systemUTC()), alreadySubscribed);

    private Outcome classify(String returnCode, String message) {
        return answers.classify("evt-1", 200, Optional.empty(), ("{\"result\":" + "200".equals(returnCode)
                + ",\"returnCode\":\""
                + returnCode + "\",\"message\":\"" + message + "\"}").getBytes(UTF_8));
    }

    @Test
    void subscribedAndAlreadySubscribedAreBothDoneWithTheHttpStatusAndA501IsCounted() {
        assertThat(classify("200", "提交成功")).isEqualTo(new Outcome.Delivered(200));
        assertThat(alreadySubscribed.count()).isZero();

        assertThat(classify("501", "重复订阅")).isEqualTo(new Outcome.Delivered(200));
        assertThat(alreadySubscribed.count()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @CsvSource({"600", "601"})
    void aRefusedKeyPausesTheDestinationTenMinutesNamingTheSettingRatherThanDeadLetteringEveryEvent(String code) {
        Outcome outcome = classify(code, "说明");

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Refused.class, w -> {
            assertThat(w.reason()).isEqualTo("kuaidi100_key");
            assertThat(w.window()).isEqualTo(Duration.ofMinutes(10)).isEqualTo(CodedAnswers.ACCOUNT_REFUSED_WAIT);
            assertThat(w.message()).startsWith("returnCode " + code + ": 说明")
                    .contains("MPHUB_KUAIDI100_KEY (mphub.kuaidi100.key)");
        });
    }

    @ParameterizedTest
    @CsvSource({"700, kuaidi100_data", "701, kuaidi100_data", "702, kuaidi100_data", "999, kuaidi100_999"})
    void dataAndUnknownCodesArePermanentWithTheCodeAndMessage(String code, String reason) {
        Outcome outcome = classify(code, "说明");

        assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
        assertThat(((Outcome.Permanent) outcome).reason()).isEqualTo(reason);
        assertThat(((Outcome.Permanent) outcome).message()).isEqualTo("returnCode " + code + ": 说明");
    }

    @ParameterizedTest
    @CsvSource({"500", "502", "503"})
    void serverErrorCodesAreRetried(String code) {
        assertThat(classify(code, "服务器错误")).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.reason()).isEqualTo("kuaidi100_" + code));
    }

    @Test
    void anHttpFailureIsClassifiedLikeAWebhooksAndAnUnreadableAnswerRetried() {
        assertThat(answers.classify("evt-1", 503, Optional.of("7"), new byte[0]))
                .isInstanceOfSatisfying(Outcome.Retry.class, r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
        assertThat(answers.classify("evt-1", 404, Optional.empty(), new byte[0])).isInstanceOf(Outcome.Permanent.class);
        assertThat(answers.classify("evt-1", 200, Optional.empty(), "<html>gateway</html>".getBytes(UTF_8)))
                .isInstanceOfSatisfying(Outcome.Retry.class, r -> assertThat(r.reason()).isEqualTo("unreadable_answer"));
    }
}
