package io.mphub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A WeChat Pay merchant made up for one test: a merchant key pair (its private key as apiclient_key.pem), a
 * platform key pair (its public key as {@code <serial>.pem}), an APIv3 key and a v2 API key, all fresh and random,
 * written under a temporary directory. Nothing is ever stored in the repository.
 */
public final class WeChatPayKeys {

    public static final String MCHID = "1900009191";
    public static final String MERCHANT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    public static final String PLATFORM_SERIAL = "PUB_KEY_ID_0119000091912025061800000000";

    public final KeyPair merchant = TestSecrets.rsa2048();
    public final KeyPair platform = TestSecrets.rsa2048();
    public final String apiV3Key = TestSecrets.alphanumeric(32);
    public final String v2ApiKey = TestSecrets.alphanumeric(32);
    public final Path merchantKeyFile;
    public final Path platformKeysDir;

    public WeChatPayKeys(Path dir) {
        try {
            merchantKeyFile = dir.resolve("apiclient_key.pem");
            Files.writeString(merchantKeyFile, pem("PRIVATE KEY", merchant.getPrivate().getEncoded()));
            platformKeysDir = Files.createDirectories(dir.resolve("platform"));
            Files.writeString(platformKeysDir.resolve(PLATFORM_SERIAL + ".pem"),
                    pem("PUBLIC KEY", platform.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mphub.wechatpay.* settings for this merchant (v3 and v2). */
    public Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("mphub.wechatpay.mchid", MCHID);
        s.put("mphub.wechatpay.merchant-serial", MERCHANT_SERIAL);
        s.put("mphub.wechatpay.merchant-key-file", merchantKeyFile.toString());
        s.put("mphub.wechatpay.platform-keys-dir", platformKeysDir.toString());
        s.put("mphub.wechatpay.apiv3-key", apiV3Key);
        s.put("mphub.wechatpay.notify-url", "https://pay.example.com/callbacks/wechatpay");
        s.put("mphub.wechatpay.v2.api-key", v2ApiKey);
        s.put("mphub.wechatpay.v2.notify-url", "https://pay.example.com/wxpay/v2/notify");
        s.put("mphub.wechatpay.v2.client-ip", "203.0.113.7");
        return s;
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
