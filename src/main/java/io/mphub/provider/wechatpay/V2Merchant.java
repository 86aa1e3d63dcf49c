package io.mphub.provider.wechatpay;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Optional;
import java.util.stream.Stream;

import io.mphub.config.Secret;
import io.mphub.config.Settings;
import io.mphub.sign.WeChatPayV2Signer.SignType;

/**
 * A legacy WeChat Pay API v2 merchant as the settings describe it.
 *
 * @param clientIp          {@code spbill_create_ip}, required by the v2 unified order; the order events carry no user IP
 * @param notifyUrl         where WeChat Pay posts v2 payment results (XML); the hub does not receive those itself
 * @param clientCertificate the merchant's API client certificate, which v2 refunds need (mutual TLS); empty when
 *                          not set
 */
public record V2Merchant(String mchid, Secret apiKey, SignType signType, URI notifyUrl, String clientIp,
        Optional<ClientCertificate> clientCertificate) {

    /** {@code apiclient_cert.p12}, read, with its password. */
    public record ClientCertificate(String location, KeyStore keys, Secret password) {
        @Override
        public String toString() {
            return location;
        }
    }

    public static Optional<V2Merchant> read(WeChatPaySettings s) {
        Settings.Reader settings = s.reader();
        Optional<String> mchid = s.mchid();
        Optional<Secret> apiKey = settings.require(WeChatPaySettings.V2_API_KEY, "the v2 API key is not set");
        Settings.Reader type = settings.section();
        SignType signType = SignType.of(type.get(WeChatPaySettings.V2_SIGN_TYPE));
        Optional<URI> notifyUrl = settings.require(WeChatPaySettings.V2_NOTIFY_URL,
                "the payment notification URL is not set");
        Optional<String> clientIp = settings.require(WeChatPaySettings.V2_CLIENT_IP,
                "the spbill_create_ip of v2 orders is not set");
        Settings.Reader certificate = settings.section();
        Optional<ClientCertificate> clientCertificate = mchid.flatMap(id -> clientCertificate(certificate, id));
        if (Stream.of(mchid, apiKey, notifyUrl, clientIp).anyMatch(Optional::isEmpty) || !type.ok()
                || !certificate.ok()) {
            return Optional.empty();
        }
        return Optional.of(new V2Merchant(mchid.orElseThrow(), apiKey.orElseThrow(), signType, notifyUrl.orElseThrow(),
                clientIp.orElseThrow(), clientCertificate));
    }

    /** The client certificate when one is set and holds a key its password opens; a problem when it does not. */
    private static Optional<ClientCertificate> clientCertificate(Settings.Reader settings, String mchid) {
        Optional<String> location = settings.optional(WeChatPaySettings.V2_CLIENT_CERTIFICATE);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        Secret password = settings.optional(WeChatPaySettings.V2_CLIENT_CERTIFICATE_PASSWORD)
                .orElse(new Secret(mchid));
        try (InputStream in = Files.newInputStream(Path.of(location.get()))) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, password.value().toCharArray());
            for (String alias : Collections.list(keys.aliases())) {
                if (keys.isKeyEntry(alias)) {
                    return Optional.of(new ClientCertificate(location.get(), keys, password));
                }
            }
            settings.problem(WeChatPaySettings.V2_CLIENT_CERTIFICATE, "holds no private key",
                    "give apiclient_cert.p12 as the merchant platform downloads it (API安全 → API证书)");
        } catch (IOException | GeneralSecurityException e) {
            settings.problem(WeChatPaySettings.V2_CLIENT_CERTIFICATE, "cannot be read as PKCS12 (" + e.getMessage()
                    + ")", "give apiclient_cert.p12 as the merchant platform downloads it; its password is the"
                    + " merchant ID unless " + WeChatPaySettings.V2_CLIENT_CERTIFICATE_PASSWORD.envName() + " says"
                    + " otherwise");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "V2Merchant[mchid=" + mchid + ", signType=" + signType.wireName()
                + clientCertificate.map(c -> ", clientCertificate=" + c).orElse("") + "]";
    }
}
