package io.mphub.provider.qiyu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.provider.CodedAnswers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QiyuAnswersTest {

    private final QiyuAnswers answers = new QiyuAnswers(new ObjectMapper(), new HttpAnswers(Clock.systemUTC()));

    private Outcome classify(String body) {
        return answers.classify(200, Optional.empty(), body.getBytes(UTF_8));
    }

    @Test
    void code200IsDoneAsNumberOrString() {
        assertThat(classify("{\"code\":200}")).isEqualTo(new Outcome.Delivered(200));
        assertThat(classify("{\"code\":\"200\",\"message\":\"ok\"}")).isEqualTo(new Outcome.Delivered(200));
    }

    @ParameterizedTest
    @CsvSource({"14001, qiyu_app_key, MPHUB_QIYU_APP_KEY (mphub.qiyu.app-key)",
            "14002, qiyu_checksum, MPHUB_QIYU_APP_SECRET (mphub.qiyu.app-secret)",
            "14003, qiyu_time, synchronise this machine's clock",
            "14515, qiyu_permission, MPHUB_QIYU_APP_KEY (mphub.qiyu.app-key)"})
    void credentialAndClockCodesPauseTheDestinationTenMinutesNamingTheFixRatherThanDeadLetteringEveryEvent(String code,
            String reason, String fix) {
        assertThat(classify("{\"code\":" + code + ",\"message\":\"说明\"}")).isInstanceOfSatisfying(Outcome.Refused.class,
                w -> {
                    assertThat(w.reason()).isEqualTo(reason);
                    assertThat(w.window()).isEqualTo(Duration.ofMinutes(10)).isEqualTo(CodedAnswers.ACCOUNT_REFUSED_WAIT);
                    assertThat(w.message()).startsWith("code " + code + ": 说明").contains(fix);
                });
    }

    @ParameterizedTest
    @CsvSource({"14004, qiyu_content", "14999, qiyu_14999"})
    void contentAndUnknownCodesArePermanent(String code, String reason) {
        assertThat(classify("{\"code\":" + code + ",\"message\":\"说明\"}")).isInstanceOfSatisfying(Outcome.Permanent.class,
                p -> {
                    assertThat(p.reason()).isEqualTo(reason);
                    assertThat(p.message()).startsWith("code " + code + ": 说明");
                });
    }

    @Test
    void serverErrorsAndUnreadableAnswersAreRetried() {
        assertThat(classify("{\"code\":14500,\"message\":\"服务器内部错误\"}")).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.reason()).isEqualTo("qiyu_server"));
        assertThat(answers.classify(502, Optional.empty(), new byte[0])).isInstanceOf(Outcome.Retry.class);
        assertThat(classify("")).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.reason()).isEqualTo("unreadable_answer"));
        assertThat(answers.classify(403, Optional.empty(), new byte[0])).isInstanceOf(Outcome.Permanent.class);
    }
}
