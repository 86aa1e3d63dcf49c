package io.mphub.sign;

import static org.assertj.core.api.Assertions.assertThat;

import com.kuaidi100.sdk.utils.SignUtils;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class Kuaidi100SignerTest {

    private static final String KEY = "kCgRvXjiPzqP";
    private static final String CUSTOMER = "8537B2C6A0E7E5B9E3F6D0A1C2B3D4E5F6A";
    private static final String SALT = "mphub-salt-1";
    private static final String QUERY = "{\"com\":\"yuantong\",\"num\":\"YT9693083639795\",\"phone\":\"\",\"from\":\"\","
            + "\"to\":\"\",\"resultv2\":\"1\",\"show\":\"0\",\"order\":\"desc\"}";
    private static final String PUSH = "{\"status\":\"polling\",\"message\":\"\",\"lastResult\":{\"state\":\"3\","
            + "\"com\":\"yuantong\",\"nu\":\"YT9693083639795\",\"data\":[{\"context\":\"客户 签收人: 本人 已签收\","
            + "\"time\":\"2024-05-01 10:00:00\"}]}}";

    private final Kuaidi100Signer signer = new Kuaidi100Signer(KEY, CUSTOMER, SALT);

    @Test
    void querySignIsUpperMd5OfParamKeyAndCustomer() {
        // computed independently: printf '%s' "$param$key$customer" | md5sum
        assertThat(signer.querySign(QUERY)).isEqualTo("5CA5979620A9ECF32133FD5F0A884BBA");
    }

    @Test
    void querySignEqualsKuaidi100SdkQuerySign() {
        String param = QUERY.replace("\"phone\":\"\"", "\"phone\":\"13800138000\",\"from\":\"广东省深圳市\"");

        assertThat(signer.querySign(param)).isEqualTo(SignUtils.querySign(param, KEY, CUSTOMER));
    }

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
        String wrongSalt = new Kuaidi100Signer(KEY, CUSTOMER, "mphub-salt-2").pushSign(PUSH);

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
