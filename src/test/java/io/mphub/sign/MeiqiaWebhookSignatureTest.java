package io.mphub.sign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MeiqiaWebhookSignatureTest {

    private static final String BODY = "{\"id\":\"sub_09e4bee581ffbcd347fcf634e0f99df8_1632648830\","
            + "\"event\":\"conversation.closed\"}";
    // computed independently: python3 hashlib.sha1((BODY + "mq-secret-of-the-test").encode()).hexdigest()
    private static final String SIGNATURE = "3e2aa467db5998f2a92425d59fbde2a16cdbd478";

    private final MeiqiaWebhookSignature meiqia = new MeiqiaWebhookSignature("mq-secret-of-the-test");

    @Test
    void isTheSha1OfTheBodyFollowedByTheSecret() {
        assertThat(meiqia.sign(BODY)).isEqualTo(SIGNATURE);
        assertThat(meiqia.verify(SIGNATURE, BODY)).isEqualTo(Verdict.VALID);
        assertThat(meiqia.verify(SIGNATURE.toUpperCase(), BODY)).isEqualTo(Verdict.VALID);
    }

    @Test
    void anotherBodyOrSecretOrNoneIsRefused() {
        assertThat(meiqia.verify(SIGNATURE, BODY.replace("closed", "created"))).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(new MeiqiaWebhookSignature("another").verify(SIGNATURE, BODY)).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(meiqia.verify(" ", BODY)).isEqualTo(Verdict.MISSING_SIGNATURE);
    }
}
