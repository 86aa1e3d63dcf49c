package io.mphub.provider.wechat;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.provider.wechat.AnalysisAnswers.Answer;
import io.mphub.provider.wechat.AnalysisAnswers.Meaning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AnalysisAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Answer answer(int status, String body) {
        return AnalysisAnswers.classify(status, body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    @Test
    void figuresArePublishedAsTheyCameWithoutErrcode() throws IOException {
        Answer a = answer(200, "{\"list\":[{\"ref_date\":\"20170313\",\"visit_total\":391,\"share_pv\":572,"
                + "\"share_uv\":383}]}");
        assertThat(a.meaning()).isEqualTo(Meaning.FIGURES);
        assertThat(a.marksDay()).isTrue();
        assertThat(a.outcome()).isEqualTo("ok");
        assertThat(a.figures()).isEqualTo(JSON.readTree("{\"list\":[{\"ref_date\":\"20170313\",\"visit_total\":391,"
                + "\"share_pv\":572,\"share_uv\":383}]}"));

        Answer withZero = answer(200, "{\"errcode\":0,\"errmsg\":\"ok\",\"ref_date\":\"20170313\",\"list\":[]}");
        assertThat(withZero.meaning()).isEqualTo(Meaning.FIGURES);
        assertThat(withZero.figures().has("errcode")).isFalse();
        assertThat(withZero.figures().has("errmsg")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {40001, 40014, 42001})
    void anInvalidTokenIsRenewedAndAskedOnceMore(int errcode) {
        Answer a = answer(200, "{\"errcode\":" + errcode + ",\"errmsg\":\"invalid credential\"}");
        assertThat(a.meaning()).isEqualTo(Meaning.TOKEN_INVALID);
        assertThat(a.marksDay()).isFalse();
    }

    @Test
    void dateRangeErrorSkipsTheDayForGood() {
        Answer a = answer(200, "{\"errcode\":61501,\"errmsg\":\"date range error\"}");
        assertThat(a.meaning()).isEqualTo(Meaning.DATE_REFUSED);
        assertThat(a.marksDay()).isTrue();
        assertThat(a.outcome()).isEqualTo("date_refused");
        assertThat(a.said()).isEqualTo("errcode 61501 (date range error)");
    }

    @Test
    void dailyQuotaLeavesTheDayForTheNextRun() {
        Answer a = answer(200, "{\"errcode\":45009,\"errmsg\":\"reach max api daily quota limit\"}");
        assertThat(a.meaning()).isEqualTo(Meaning.QUOTA);
        assertThat(a.marksDay()).isFalse();
        assertThat(a.outcome()).isEqualTo("quota");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 45011, 48001, 61500})
    void otherErrcodesLeaveTheDayForTheNextRunAndAreCountedByCode(int errcode) {
        Answer a = answer(200, "{\"errcode\":" + errcode + ",\"errmsg\":\"x\"}");
        assertThat(a.meaning()).isEqualTo(Meaning.REFUSED);
        assertThat(a.marksDay()).isFalse();
        assertThat(a.outcome()).isEqualTo("errcode_" + errcode);
    }

    @Test
    void noUsableAnswerLeavesTheDayForTheNextRun() {
        for (Answer a : new Answer[] {answer(502, "<html>bad gateway</html>"), answer(200, "not json"),
                answer(200, "[1,2]"), AnalysisAnswers.unreachable(new HttpTimeoutException("request timed out"))}) {
            assertThat(a.meaning()).isEqualTo(Meaning.UNAVAILABLE);
            assertThat(a.marksDay()).isFalse();
            assertThat(a.outcome()).isEqualTo("unavailable");
        }
        // Only the class of a network failure is said: its message could quote the URL, which carries the token.
        assertThat(AnalysisAnswers.unreachable(new IOException("https://api.weixin.qq.com/?access_token=SECRET")).said())
                .isEqualTo("IOException");
    }
}
