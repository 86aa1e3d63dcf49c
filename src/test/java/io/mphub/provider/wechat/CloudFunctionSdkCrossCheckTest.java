package io.mphub.provider.wechat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Secret;
import io.mphub.deliver.Destination;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.deliver.RetryPolicy;
import io.mphub.privacy.DataContract;
import io.mphub.provider.Endpoints;
import io.mphub.provider.ProviderCall;
import io.mphub.testing.Events;
import io.mphub.testing.WeChatSandbox;
import io.mphub.testing.WeChatSandbox.Invocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WeChat sandbox's invokeCloudFunction against WeChat's own Java SDK (weixin-java-miniapp's WxMaCloudService, on
 * stable tokens): the SDK's call is accepted and answered as the SDK expects, and the hub's call for an event arrives
 * at the sandbox as the SDK's does (same env, name, token check and input).
 */
class CloudFunctionSdkCrossCheckTest {

    private static final String APP = "wx00000000000c5d01";
    private static final String ENV = "prod-3g5x1a";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private WeChatSandbox wechat;
    private final String secret = WeChatSandbox.newSecret();

    @BeforeEach
    void start() throws Exception {
        wechat = WeChatSandbox.start();
        wechat.app(APP, secret);
        wechat.cloudFunction(APP, ENV, "echo", input -> "{\"got\":\"" + input.path("id").asText() + "\"}");
    }

    @AfterEach
    void stop() {
        wechat.close();
    }

    @Test
    void theSdksCallAndTheHubsArriveAlikeAndBothAreAnswered() throws Exception {
        WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
        config.setAppid(APP);
        config.setSecret(secret);
        config.setApiHostUrl(wechat.url());
        config.useStableAccessToken(true);
        config.setCloudEnv(ENV);
        WxMaService sdk = new WxMaServiceImpl();
        sdk.setWxMaConfig(config);
        String input = Events.structured("sdk-1", "mp.order.paid", "oSdk", Events.orderPaid("oSdk", "SDK0000001")
                .replace(Events.APP, APP));

        String respData = sdk.getCloudService().invokeCloudFunction(ENV, "echo", input);

        assertThat(JSON.readTree(respData).path("got").asText()).isEqualTo("sdk-1");
        Invocation bySdk = wechat.invocations().get(0);
        assertThat(bySdk.errcode()).isZero();

        Outcome outcome = hubKind().attempt(HttpClient.newHttpClient(), "hub-1",
                input.replace("sdk-1", "hub-1").getBytes(UTF_8));

        assertThat(outcome).isInstanceOf(Outcome.Delivered.class);
        Invocation byHub = wechat.invocations().get(1);
        assertThat(byHub.errcode()).isZero();
        assertThat(byHub.appId()).isEqualTo(bySdk.appId());
        assertThat(byHub.env()).isEqualTo(bySdk.env());
        assertThat(byHub.name()).isEqualTo(bySdk.name());
        assertThat(byHub.input().path("data")).isEqualTo(bySdk.input().path("data"));
    }

    private CloudFunctionKind hubKind() throws Exception {
        Path file = Files.writeString(dir.resolve("cloud-functions.yaml"),
                "env: " + ENV + "\nfunctions:\n  mp.order.paid: echo\n");
        List<Problem> problems = new ArrayList<>();
        CloudFunctions functions = CloudFunctionsFile.load(file, EventFields.load(Path.of("schemas"), JSON),
                Set.of(APP), problems).orElseThrow(() -> new AssertionError(problems));
        Clock clock = Clock.systemUTC();
        Duration timeout = Duration.ofSeconds(5);
        URI api = URI.create(wechat.url());
        AccessTokens tokens = new AccessTokens(Set.of(APP), new StableTokenClient(Endpoints.client(timeout), api,
                Map.of(APP, new Secret(secret)), JSON, clock, timeout), clock, Duration.ofMinutes(5),
                Duration.ofMinutes(10), new SimpleMeterRegistry());
        Destination destination = new Destination("cloud", WeChatProvider.CLOUD_FUNCTION, api, 10, timeout,
                new RetryPolicy(3, Duration.ofMillis(500), 2.0, Duration.ofSeconds(30)), DataContract.WHOLE);
        ProviderCall call = new ProviderCall(new HttpAnswers(clock));
        return new CloudFunctionKind(destination, functions, new WeChatApi(tokens, call, JSON),
                new WeChatAnswers(new QuotaWindows(clock)), null, JSON);
    }
}
