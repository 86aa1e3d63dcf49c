package io.mphub.sign;

import static org.assertj.core.api.Assertions.assertThat;

import me.chanjar.weixin.common.util.crypto.SHA1;
import org.junit.jupiter.api.Test;

class WeChatPushSignatureTest {

    // the vector published for the mini-program push URL
    private static final String TOKEN = "AAAAA";
    private static final String TIMESTAMP = "1714036504";
    private static final String NONCE = "1514711492";
    private static final String SIGNATURE = "f464b24fc39322e44b38aa78f5edd27bd1441696";

    private final WeChatPushSignature push = new WeChatPushSignature(TOKEN);

    @Test
    void signatureMatchesPublishedVector() {
        assertThat(push.signature(TIMESTAMP, NONCE)).isEqualTo(SIGNATURE);
    }

    @Test
    void signatureEqualsWeixinJavaCommonSha1Gen() {
        // SHA1.gen sorts and joins its arguments; weixin-java-miniapp checks push signatures with it
        assertThat(push.signature("1714036999", "a8Kq1")).isEqualTo(SHA1.gen(TOKEN, "1714036999", "a8Kq1"));
    }

    @Test
    void acceptsPublishedSignature() {
        assertThat(push.verify(SIGNATURE, TIMESTAMP, NONCE)).isEqualTo(Verdict.VALID);
    }

    @Test
    void rejectsOtherTokenAndOtherNonce() {
        assertThat(new WeChatPushSignature("BBBBB").verify(SIGNATURE, TIMESTAMP, NONCE)).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(push.verify(SIGNATURE, TIMESTAMP, "1514711493")).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsMissingSignatureOrNonce() {
        assertThat(push.verify(null, TIMESTAMP, NONCE)).isEqualTo(Verdict.MISSING_SIGNATURE);
        assertThat(push.verify(SIGNATURE, TIMESTAMP, null)).isEqualTo(Verdict.MALFORMED);
    }
}
