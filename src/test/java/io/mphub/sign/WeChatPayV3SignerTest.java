package io.mphub.sign;

import java.net.URI;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.wechat.pay.java.core.auth.WechatPay2Credential;
import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import io.mphub.testing.TestClock;
import io.mphub.testing.TestSecrets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeChatPayV3SignerTest {

    private static final KeyPair MERCHANT = TestSecrets.rsa2048();
    private static final String MCHID = "1900009191";
    private static final String SERIAL = "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB";
    private static final String BODY = "{\"appid\":\"wxd678efh567hg6787\",\"mchid\":\"1900009191\","
            + "\"description\":\"Image形象店-深圳腾大-QQ公仔\",\"out_trade_no\":\"1217752501201407033233368018\"}";

    private final WeChatPayV3Signer signer = new WeChatPayV3Signer(
            MCHID, SERIAL, MERCHANT.getPrivate(), TestClock.atEpochSecond(1554208460L), () -> "593BEC0C930BF1AFEB40B4A08C8FB242");

    @Test
    void authorizationCarriesSchemeAndFieldsInWeChatOrder() {
        String header = signer.authorization("POST", "/v3/pay/transactions/jsapi", BODY);

        assertThat(header).matches("WECHATPAY2-SHA256-RSA2048 mchid=\"1900009191\","
                + "nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\",timestamp=\"1554208460\","
                + "serial_no=\"408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB\",signature=\"[A-Za-z0-9+/]{342}==\"");
    }

    @Test
    void signatureCoversMethodPathTimestampNonceAndBody() {
        String signature = fields(signer.authorization("post", "/v3/pay/transactions/jsapi", BODY)).get("signature");

        String expectedMessage = "POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n"
                + BODY + "\n";
        assertThat(Rsa.verify(MERCHANT.getPublic(), expectedMessage, signature)).isTrue();
        assertThat(Rsa.verify(MERCHANT.getPublic(), expectedMessage.replace("1554208460", "1554208461"), signature))
                .isFalse();
    }

    @Test
    void getRequestSignsQueryAndEmptyBody() {
        String signature = fields(signer.authorization("GET", "/v3/certificates?algorithm_type=RSA", null))
                .get("signature");

        String expectedMessage = "GET\n/v3/certificates?algorithm_type=RSA\n1554208460\n"
                + "593BEC0C930BF1AFEB40B4A08C8FB242\n\n";
        assertThat(Rsa.verify(MERCHANT.getPublic(), expectedMessage, signature)).isTrue();
    }

    @Test
    void authorizationEqualsWechatPay2CredentialForSameNonceAndTime() {
        WechatPay2Credential sdk = new WechatPay2Credential(MCHID, new RSASigner(SERIAL, MERCHANT.getPrivate()));
        String theirs = sdk.getAuthorization(
                URI.create("https://api.mch.weixin.qq.com/v3/refund/domestic/refunds?sub_mchid=1900000109"),
                "POST", BODY);
        Map<String, String> sdkFields = fields(theirs);

        WeChatPayV3Signer ours = new WeChatPayV3Signer(MCHID, SERIAL, MERCHANT.getPrivate(),
                TestClock.atEpochSecond(Long.parseLong(sdkFields.get("timestamp"))), () -> sdkFields.get("nonce_str"));

        // RSASSA-PKCS1-v1_5 is deterministic, so equal messages give equal headers
        assertThat(ours.authorization("POST", "/v3/refund/domestic/refunds?sub_mchid=1900000109", BODY))
                .isEqualTo(theirs);
    }

    @Test
    void signatureVerifiesWithSdkRsaVerifier() {
        String signature = fields(signer.authorization("POST", "/v3/pay/transactions/jsapi", BODY)).get("signature");
        RSAVerifier sdk = new RSAVerifier(MERCHANT.getPublic(), SERIAL);

        String message = "POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n" + BODY + "\n";
        assertThat(sdk.verify(SERIAL, message, signature)).isTrue();
        assertThat(sdk.verify(SERIAL, message.replace("QQ公仔", "QQ公仔2"), signature)).isFalse();
    }

    @Test
    void refusesAFullUrlWhereThePathIsSigned() {
        assertThatThrownBy(() -> signer.authorization("GET", "https://api.mch.weixin.qq.com/v3/certificates", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path and query");
    }

    @Test
    void eachAuthorizationTakesAFreshNonce() {
        WeChatPayV3Signer random = new WeChatPayV3Signer(MCHID, SERIAL, MERCHANT.getPrivate(),
                TestClock.atEpochSecond(1554208460L), Nonces.alphanumeric(32));

        String first = fields(random.authorization("GET", "/v3/certificates", null)).get("nonce_str");
        String second = fields(random.authorization("GET", "/v3/certificates", null)).get("nonce_str");

        assertThat(first).matches("[0-9A-Za-z]{32}").isNotEqualTo(second);
    }

    private static Map<String, String> fields(String authorization) {
        assertThat(authorization).startsWith(WeChatPayV3Signer.SCHEME + " ");
        Matcher matcher = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(authorization);
        Map<String, String> fields = new LinkedHashMap<>();
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2));
        }
        return fields;
    }
}
