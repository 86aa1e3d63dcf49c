package io.mphub.sign;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;

import com.wechat.pay.java.core.auth.WechatPay2Validator;
import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import com.wechat.pay.java.core.http.HttpHeaders;
import io.mphub.testing.TestClock;
import io.mphub.testing.TestSecrets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WeChatPayV3VerifierTest {

    private static final KeyPair PLATFORM = TestSecrets.rsa2048();
    private static final KeyPair OTHER = TestSecrets.rsa2048();
    private static final String SERIAL = "PUB_KEY_ID_0114232134912410000000000000";
    private static final long NOW = 1_700_000_000L;
    private static final String NONCE = "ibuaiVcKdpRxkhJA";
    private static final String BODY = "{\"prepay_id\":\"wx26112221580621e9b071c00d9e093b0000\"}";

    private final WeChatPayV3Verifier verifier =
            new WeChatPayV3Verifier(Map.of(SERIAL, PLATFORM.getPublic()), TestClock.atEpochSecond(NOW));

    @Test
    void acceptsResponseSignedBySdkRsaSigner() {
        String signature = new RSASigner(SERIAL, PLATFORM.getPrivate())
                .sign(NOW + "\n" + NONCE + "\n" + BODY + "\n").getSign();

        assertThat(verifier.verify(SERIAL, Long.toString(NOW), NONCE, signature, BODY)).isEqualTo(Verdict.VALID);
    }

    @Test
    void readsTheWechatpayHeadersByName() {
        Map<String, String> headers = Map.of(
                "Wechatpay-Serial", SERIAL,
                "Wechatpay-Timestamp", Long.toString(NOW),
                "Wechatpay-Nonce", NONCE,
                "Wechatpay-Signature", platformSignature(Long.toString(NOW), BODY));

        assertThat(verifier.verify(headers::get, BODY)).isEqualTo(Verdict.VALID);
    }

    @Test
    void agreesWithSdkWechatPay2ValidatorOnSignedAndTamperedResponses() {
        // the SDK checks the timestamp against the system clock, so sign with the real time
        String now = Long.toString(Instant.now().getEpochSecond());
        WeChatPayV3Verifier ours = new WeChatPayV3Verifier(
                Map.of(SERIAL, PLATFORM.getPublic()), TestClock.atEpochSecond(Long.parseLong(now)));
        WechatPay2Validator sdk = new WechatPay2Validator(new RSAVerifier(PLATFORM.getPublic(), SERIAL));
        HttpHeaders headers = new HttpHeaders();
        headers.addHeader("Wechatpay-Serial", SERIAL);
        headers.addHeader("Wechatpay-Timestamp", now);
        headers.addHeader("Wechatpay-Nonce", NONCE);
        headers.addHeader("Wechatpay-Signature", platformSignature(now, BODY));
        headers.addHeader("Request-ID", "08F78BB5AF0610D302A2A0B01B0000000000");

        assertThat(sdk.validate(headers, BODY)).isTrue();
        assertThat(ours.verify(headers::getHeader, BODY)).isEqualTo(Verdict.VALID);
        String tampered = BODY.replace("0000\"", "0001\"");
        assertThat(sdk.validate(headers, tampered)).isFalse();
        assertThat(ours.verify(headers::getHeader, tampered)).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsTamperedBody() {
        String signature = platformSignature(Long.toString(NOW), BODY);

        assertThat(verifier.verify(SERIAL, Long.toString(NOW), NONCE, signature, BODY + " "))
                .isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsUnknownSerial() {
        String signature = platformSignature(Long.toString(NOW), BODY);

        assertThat(verifier.verify("5157F09EFDC096DE15EBE81A47057A7232F1B8E1", Long.toString(NOW), NONCE, signature, BODY))
                .isEqualTo(Verdict.UNKNOWN_KEY);
    }

    @Test
    void rejectsSignatureByAnotherKeyUnderAKnownSerial() {
        String signature = Rsa.sign(OTHER.getPrivate(), WeChatPayV3Verifier.message(Long.toString(NOW), NONCE, BODY));

        assertThat(verifier.verify(SERIAL, Long.toString(NOW), NONCE, signature, BODY)).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsTimestampExactlyFiveMinutesOffEitherWay() {
        for (long sent : new long[] {NOW - 300, NOW + 300}) {
            String timestamp = Long.toString(sent);
            assertThat(verifier.verify(SERIAL, timestamp, NONCE, platformSignature(timestamp, BODY), BODY))
                    .as("sent at %s", sent)
                    .isEqualTo(Verdict.STALE_TIMESTAMP);
        }
    }

    @Test
    void acceptsTimestampFourMinutesFiftyNineSecondsOffEitherWay() {
        for (long sent : new long[] {NOW - 299, NOW + 299}) {
            String timestamp = Long.toString(sent);
            assertThat(verifier.verify(SERIAL, timestamp, NONCE, platformSignature(timestamp, BODY), BODY))
                    .as("sent at %s", sent)
                    .isEqualTo(Verdict.VALID);
        }
    }

    @Test
    void rejectsSigntestProbe() {
        String probe = "WECHATPAY/SIGNTEST/" + platformSignature(Long.toString(NOW), BODY);

        assertThat(verifier.verify(SERIAL, Long.toString(NOW), NONCE, probe, BODY)).isEqualTo(Verdict.SIGNTEST_PROBE);
    }

    @Test
    void rejectsMissingSignature() {
        assertThat(verifier.verify(SERIAL, Long.toString(NOW), NONCE, null, BODY)).isEqualTo(Verdict.MISSING_SIGNATURE);
        assertThat(verifier.verify(SERIAL, Long.toString(NOW), NONCE, "", BODY)).isEqualTo(Verdict.MISSING_SIGNATURE);
    }

    @Test
    void rejectsUnreadableTimestampAndMissingNonce() {
        String signature = platformSignature(Long.toString(NOW), BODY);

        assertThat(verifier.verify(SERIAL, "1700000000.5", NONCE, signature, BODY)).isEqualTo(Verdict.MALFORMED);
        assertThat(verifier.verify(SERIAL, "99999999999999999", NONCE, signature, BODY)).isEqualTo(Verdict.MALFORMED);
        assertThat(verifier.verify(SERIAL, Long.toString(NOW), null, signature, BODY)).isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void rejectsSignatureThatIsNotBase64() {
        assertThat(verifier.verify(SERIAL, Long.toString(NOW), NONCE, "not base64!", BODY))
                .isEqualTo(Verdict.BAD_SIGNATURE);
    }

    private static String platformSignature(String timestamp, String body) {
        return Rsa.sign(PLATFORM.getPrivate(), WeChatPayV3Verifier.message(timestamp, NONCE, body));
    }
}
