package io.mphub.sign;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import com.wechat.pay.java.core.cipher.AeadAesCipher;
import org.junit.jupiter.api.Test;

class AeadAesGcmTest {

    // the vector published for WeChat Pay v3 callback resources
    private static final String KEY = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
    private static final String NONCE = "uluk4a9R25RW";
    private static final String AAD = "associatedData";
    private static final String CIPHERTEXT = "ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=";

    private static final String TRANSACTION = "{\"mchid\":\"1900009191\",\"out_trade_no\":\"1217752501201407033233368018\","
            + "\"trade_state\":\"SUCCESS\",\"trade_state_desc\":\"支付成功\",\"amount\":{\"total\":100,\"currency\":\"CNY\"}}";

    private final AeadAesGcm aead = new AeadAesGcm(KEY);

    @Test
    void decryptsPublishedVector() {
        assertThat(aead.decrypt(AAD, NONCE, CIPHERTEXT)).isEqualTo("message");
    }

    @Test
    void encryptsPublishedVector() {
        assertThat(aead.encrypt(AAD, NONCE, "message")).isEqualTo(CIPHERTEXT);
    }

    @Test
    void sdkAeadAesCipherDecryptsWhatWeEncrypt() {
        String ciphertext = aead.encrypt("transaction", NONCE, TRANSACTION);

        // the SDK's decrypt takes the Base64-decoded bytes; its NotificationParser decodes first
        String decrypted = new AeadAesCipher(KEY.getBytes(UTF_8)).decrypt(
                "transaction".getBytes(UTF_8), NONCE.getBytes(UTF_8), Base64.getDecoder().decode(ciphertext));

        assertThat(decrypted).isEqualTo(TRANSACTION);
    }

    @Test
    void decryptsWhatSdkAeadAesCipherEncrypts() {
        String ciphertext = new AeadAesCipher(KEY.getBytes(UTF_8))
                .encrypt("transaction".getBytes(UTF_8), NONCE.getBytes(UTF_8), TRANSACTION.getBytes(UTF_8));

        assertThat(aead.decrypt("transaction", NONCE, ciphertext)).isEqualTo(TRANSACTION);
    }

    @Test
    void decryptsResourceWithoutAssociatedData() {
        String ciphertext = new AeadAesCipher(KEY.getBytes(UTF_8))
                .encrypt(null, NONCE.getBytes(UTF_8), TRANSACTION.getBytes(UTF_8));

        assertThat(aead.decrypt("", NONCE, ciphertext)).isEqualTo(TRANSACTION);
        assertThat(aead.decrypt(null, NONCE, ciphertext)).isEqualTo(TRANSACTION);
    }

    @Test
    void tamperedCiphertextDoesNotAuthenticate() {
        byte[] sealed = Base64.getDecoder().decode(CIPHERTEXT);
        sealed[0] ^= 1;
        String tampered = Base64.getEncoder().encodeToString(sealed);

        assertThatThrownBy(() -> aead.decrypt(AAD, NONCE, tampered))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not authenticate");
    }

    @Test
    void wrongAssociatedDataOrKeyDoesNotAuthenticate() {
        assertThatThrownBy(() -> aead.decrypt("transaction", NONCE, CIPHERTEXT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AeadAesGcm("b7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb").decrypt(AAD, NONCE, CIPHERTEXT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesKeyThatIsNot32Bytes() {
        assertThatThrownBy(() -> new AeadAesGcm("a7cde1ZJB1kG2e7VfTs3jQzaWizur8G"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        // 32 characters but 33 bytes in UTF-8: the key is counted in bytes
        assertThatThrownBy(() -> new AeadAesGcm("é" + KEY.substring(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 33");
    }
}
