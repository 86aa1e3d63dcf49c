package io.mphub.sign;

import java.security.KeyPair;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.cipher.AeadAesCipher;
import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.payments.model.Transaction;
import io.mphub.testing.TestClock;
import io.mphub.testing.TestSecrets;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** A whole payment callback, signed and encrypted on one side and verified and decrypted on the other. */
class WeChatPayV3CallbackTest {

    private static final KeyPair PLATFORM = TestSecrets.rsa2048();
    private static final String KEY_ID = "PUB_KEY_ID_0114232134912410000000000000";
    private static final String API_V3_KEY = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
    private static final long NOW = 1_700_000_000L;
    private static final String NONCE = "fdasflkja484w";
    private static final String RESOURCE_NONCE = "fdasfjihihih";
    private static final String TRANSACTION = "{\"appid\":\"wxd678efh567hg6787\",\"mchid\":\"1230000109\","
            + "\"out_trade_no\":\"1217752501201407033233368018\",\"transaction_id\":\"1217752501201407033233368018\","
            + "\"trade_state\":\"SUCCESS\",\"trade_state_desc\":\"支付成功\",\"amount\":{\"total\":100,\"currency\":\"CNY\"}}";

    @Test
    void sdkNotificationParserAcceptsCallbackWeSignAndEncrypt() {
        String ciphertext = new AeadAesGcm(API_V3_KEY).encrypt("transaction", RESOURCE_NONCE, TRANSACTION);
        String body = callbackBody(ciphertext);
        WeChatPayV3Signer platform = new WeChatPayV3Signer("1230000109", KEY_ID, PLATFORM.getPrivate(),
                TestClock.atEpochSecond(NOW), () -> NONCE);
        String signature = platform.sign(WeChatPayV3Verifier.message(Long.toString(NOW), NONCE, body));

        NotificationParser sdk = new NotificationParser(new RSAPublicKeyNotificationConfig.Builder()
                .publicKey(PLATFORM.getPublic()).publicKeyId(KEY_ID).apiV3Key(API_V3_KEY).build());
        Transaction transaction = sdk.parse(new RequestParam.Builder()
                .serialNumber(KEY_ID).timestamp(Long.toString(NOW)).nonce(NONCE).signature(signature)
                .signType("WECHATPAY2-SHA256-RSA2048").body(body).build(), Transaction.class);

        assertThat(transaction.getOutTradeNo()).isEqualTo("1217752501201407033233368018");
        assertThat(transaction.getTradeStateDesc()).isEqualTo("支付成功");
    }

    @Test
    void weVerifyAndDecryptCallbackSdkSignsAndEncrypts() throws Exception {
        String ciphertext = new AeadAesCipher(API_V3_KEY.getBytes(UTF_8)).encrypt(
                "transaction".getBytes(UTF_8), RESOURCE_NONCE.getBytes(UTF_8), TRANSACTION.getBytes(UTF_8));
        String body = callbackBody(ciphertext);
        String signature = new RSASigner(KEY_ID, PLATFORM.getPrivate())
                .sign(NOW + "\n" + NONCE + "\n" + body + "\n").getSign();

        WeChatPayV3Verifier verifier = new WeChatPayV3Verifier(Map.of(KEY_ID, PLATFORM.getPublic()), TestClock.atEpochSecond(NOW));
        assertThat(verifier.verify(KEY_ID, Long.toString(NOW), NONCE, signature, body)).isEqualTo(Verdict.VALID);

        JsonNode resource = new ObjectMapper().readTree(body).get("resource");
        String plaintext = new AeadAesGcm(API_V3_KEY).decrypt(resource.get("associated_data").asText(),
                resource.get("nonce").asText(), resource.get("ciphertext").asText());
        assertThat(plaintext).isEqualTo(TRANSACTION);
    }

    private static String callbackBody(String ciphertext) {
        return "{\"id\":\"EV-2018022511223320873\",\"create_time\":\"2015-05-20T13:29:35+08:00\","
                + "\"resource_type\":\"encrypt-resource\",\"event_type\":\"TRANSACTION.SUCCESS\",\"summary\":\"支付成功\","
                + "\"resource\":{\"original_type\":\"transaction\",\"algorithm\":\"AEAD_AES_256_GCM\","
                + "\"ciphertext\":\"" + ciphertext + "\",\"associated_data\":\"transaction\","
                + "\"nonce\":\"" + RESOURCE_NONCE + "\"}}";
    }
}
