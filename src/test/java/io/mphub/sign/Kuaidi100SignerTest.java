package io.mphub.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import com.kuaidi100.sdk.utils.SignUtils;
import org.junit.jupiter.api.Test;

class Kuaidi100SignerTest {

    private static final String SALT = "mphub-salt-1";
    private static final String PUSH = "{\"status\":\"polling\",\"message\":\"\",\"lastResult\":{\"state\":\"3\","
            + "\"com\":\"yuantong\",\"nu\":\"YT9693083639795\",\"data\":[{\"context\":\"客户 签收人: 本人 已签收\","
            + "\"time\":\"2024-05-01 10:00:00\"}]}}";

    private final Kuaidi100Signer signer = new Kuaidi100Signer(SALT);

    @Test
    void pushSignIsMd5OfParamAndSaltOverUtf8() {
        // computed independently: printf '%s' "$param$salt" | md5sum (UTF-8)
        assertThat(signer.pushSign(PUSH)).isEqualTo("DE2D50C95134CFD9EF0979DE6A0AC038");
    }

    @Test
    void acceptsPushSignedWithKuaidi100SdkMd5InEitherCase() {
        // the SDK has no push verifier; SignUtils.sign is its UPPER(MD5(text)) primitive
        String sdkSign = SignUtils.sign(PUSH + SALT);

        assertThat(signer.verifyPush(PUSH, sdkSign)).isEqualTo(Verdict.VALID);
        assertThat(signer.verifyPush(PUSH, sdkSign.toLowerCase(Locale.ROOT))).isEqualTo(Verdict.VALID);
    }

    @Test
    void rejectsPushSignedWithAnotherSalt() {
        String wrongSalt = new Kuaidi100Signer("mphub-salt-2").pushSign(PUSH);

        assertThat(signer.verifyPush(PUSH, wrongSalt)).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsTamperedPush() {
        String sign = signer.pushSign(PUSH);

        assertThat(signer.verifyPush(PUSH.replace("\"state\":\"3\"", "\"state\":\"0\""), sign))
                .isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsPushWithoutSign() {
        assertThat(signer.verifyPush(PUSH, "")).isEqualTo(Verdict.MISSING_SIGNATURE);
        assertThat(signer.verifyPush(PUSH, null)).isEqualTo(Verdict.MISSING_SIGNATURE);
    }
}
