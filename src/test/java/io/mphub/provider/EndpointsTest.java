package io.mphub.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointsTest {

    @Test
    void aPathGoesUnderTheBaseKeepingAProxysPrefix() {
        assertThat(Endpoints.under(URI.create("https://api.mch.weixin.qq.com"), "/v3/pay/transactions/jsapi"))
                .hasToString("https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi");
        assertThat(Endpoints.under(URI.create("http://127.0.0.1:8100/"), "/poll")).hasToString("http://127.0.0.1:8100/poll");
        assertThat(Endpoints.under(URI.create("https://proxy.example.com/wechat//"), "/cgi-bin/stable_token?x=1"))
                .hasToString("https://proxy.example.com/wechat/cgi-bin/stable_token?x=1");
    }

    @Test
    void theAsyncClientSpeaksHttp11ToPlainHttpAndOffersHttp2OverHttps() {
        assertThat(Endpoints.asyncClient(URI.create("http://127.0.0.1:8100"), Duration.ofSeconds(1)).version())
                .isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(Endpoints.asyncClient(URI.create("https://api.weixin.qq.com"), Duration.ofSeconds(1)).version())
                .isEqualTo(HttpClient.Version.HTTP_2);
    }
}
