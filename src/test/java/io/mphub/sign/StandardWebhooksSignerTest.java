package io.mphub.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class StandardWebhooksSignerTest {

    // the vector published with the Standard Webhooks specification
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC);
    private final StandardWebhooksSigner signer = new StandardWebhooksSigner(SECRET, clock);

    @Test
    void signatureMatchesPublishedVector() {
        assertThat(signer.signature(ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void signUsesClockEpochSecondsAsTimestampAndKeepsTheId() {
        StandardWebhooksSigner.Signed signed = signer.sign(ID, BODY);

        assertThat(signed.id()).isEqualTo(ID);
        assertThat(signed.timestamp()).isEqualTo("1614265330");
        assertThat(signed.signature()).isEqualTo(SIGNATURE);
    }

    @Test
    void signatureChangesWithTimestampIdAndBody() {
        assertThat(signer.signature(ID, TIMESTAMP + 1, BODY)).isNotEqualTo(SIGNATURE);
        assertThat(signer.signature(ID + "x", TIMESTAMP, BODY)).isNotEqualTo(SIGNATURE);
        assertThat(signer.signature(ID, TIMESTAMP, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(SIGNATURE);
    }

    @Test
    void signTakesTheTimestampFromTheClockAtSigningTime() {
        Clock later = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP + 300, 999_000_000), ZoneOffset.UTC);

        StandardWebhooksSigner.Signed signed = new StandardWebhooksSigner(SECRET, later).sign(ID, BODY);

        assertThat(signed.timestamp()).isEqualTo(Long.toString(TIMESTAMP + 300));
        assertThat(signed.signature()).isEqualTo(signer.signature(ID, TIMESTAMP + 300, BODY));
    }
}
