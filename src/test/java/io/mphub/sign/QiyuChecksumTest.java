package io.mphub.sign;

import io.mphub.testing.TestClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QiyuChecksumTest {

    private static final String APP_KEY = "a1b2c3d4e5f6";
    private static final String SECRET = "qiyuSecretForTests0123";
    private static final long NOW = 1_700_000_000L;
    private static final String BODY = "{\"uid\":\"u-1001\",\"userinfo\":[{\"key\":\"real_name\",\"value\":\"张三\"}]}";
    // computed independently: sha1sum of secret + (md5sum of body) + time, with coreutils
    private static final String CHECKSUM = "68e167d614f1879be62065a15be2451bd5664dc1";

    private final QiyuChecksum qiyu = new QiyuChecksum(APP_KEY, SECRET, TestClock.atEpochSecond(NOW));

    @Test
    void checksumIsSha1OfSecretBodyMd5AndTime() {
        assertThat(qiyu.checksum(BODY, NOW)).isEqualTo(CHECKSUM);
    }

    @Test
    void queryCarriesAppKeyTimeAndChecksum() {
        assertThat(qiyu.query(BODY)).isEqualTo("appKey=a1b2c3d4e5f6&time=1700000000&checksum=" + CHECKSUM);
    }

    @Test
    void acceptsChecksumFourMinutesFiftyNineSecondsOld() {
        QiyuChecksum later = new QiyuChecksum(APP_KEY, SECRET, TestClock.atEpochSecond(NOW + 299));

        assertThat(later.verify(BODY, Long.toString(NOW), CHECKSUM)).isEqualTo(Verdict.VALID);
    }

    @Test
    void rejectsChecksumFiveMinutesOld() {
        QiyuChecksum later = new QiyuChecksum(APP_KEY, SECRET, TestClock.atEpochSecond(NOW + 300));

        assertThat(later.verify(BODY, Long.toString(NOW), CHECKSUM)).isEqualTo(Verdict.STALE_TIMESTAMP);
    }

    @Test
    void rejectsTamperedBodyAndOtherSecret() {
        assertThat(qiyu.verify(BODY.replace("张三", "李四"), Long.toString(NOW), CHECKSUM))
                .isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(new QiyuChecksum(APP_KEY, "anotherSecret", TestClock.atEpochSecond(NOW))
                .verify(BODY, Long.toString(NOW), CHECKSUM)).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void verifiesOverTheTimeTextAsSent() {
        // "01700000000" parses to the same second, but the sender hashed other characters
        assertThat(qiyu.verify(BODY, "0" + NOW, CHECKSUM)).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsMissingChecksumAndUnreadableTime() {
        assertThat(qiyu.verify(BODY, Long.toString(NOW), null)).isEqualTo(Verdict.MISSING_SIGNATURE);
        assertThat(qiyu.verify(BODY, "yesterday", CHECKSUM)).isEqualTo(Verdict.MALFORMED);
    }
}
