package io.mphub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.Gson;
import com.kuaidi100.sdk.response.SubscribePushData;
import com.kuaidi100.sdk.response.SubscribePushParamResp;
import com.kuaidi100.sdk.response.SubscribePushResult;
import com.wechat.pay.java.core.cipher.AeadAesCipher;

/**
 * Every provider mphub speaks, on fixed local ports, for trying the hub by hand without credentials (docs/providers/README.md,
 * "Trying every provider locally"). It starts the five test sandboxes (WeChat Pay, Kuaidi100, Qiyu, WeChat, Tencent
 * Location Service), makes every key and secret for this run under {@code target/sandbox/}, and writes
 * {@code target/sandbox/mphub.env}: the settings that point the hub at them (analytics stays a webhook, played by
 * the demo's receiver). It then prints one line per request a sandbox checked, and plays the providers' side of the
 * callbacks, so the whole loop shows: a prepay is followed by WeChat Pay's signed and encrypted TRANSACTION.SUCCESS
 * notification, a Kuaidi100 subscription by a signed tracking push, both to the hub's HTTP port.
 *
 * <p>Usage: {@code Sandboxes [basePort=8100] [hubPort=8088]}. Ports: base WeChat Pay, base+1 Kuaidi100, base+2 Qiyu,
 * base+3 WeChat, base+4 Tencent Location Service, base+5 AMap (called once the hub runs with
 * {@code MPHUB_GEOCODING_PROVIDER=amap}), base+6 Tencent Ads (destination {@code ads}, in a copy of routes/). Runs until
 * Ctrl-C.
 */
public final class Sandboxes {

    /** The demo's mini-program (io.mphub.ops.Demo publishes its events for this AppID). */
    static final String APP_ID = "wx1234567890abcdef";
    static final String SHIPPED_TEMPLATE = "SANDBOX-SHIPPED-TEMPLATE";
    static final String LOGISTICS_TEMPLATE = "SANDBOX-LOGISTICS-TEMPLATE";
    static final String CLOUD_ENV = "sandbox-env-1a2b3c";
    static final long ADS_ACCOUNT = 25610;
    static final long ADS_ACTION_SET = 1107654321;
    /** Where the sandboxes would have WeChat Pay call; the sandbox posts to the hub's port directly instead. */
    static final String NOTIFY_URL = "https://pay.example.com/callbacks/wechatpay";

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor();
    private final AtomicLong transactions = new AtomicLong();
    private final int hubPort;
    private final WeChatPayKeys payKeys;
    private final WeChatPaySandbox pay;
    private final Kuaidi100Sandbox kuaidi100;
    private final QiyuSandbox qiyu;
    private final WeChatSandbox wechat;
    private final TencentMapSandbox map;
    private final AmapSandbox amap;
    private final TencentAdsSandbox ads;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final String kuaidi100Salt = TestSecrets.alphanumeric(32);
    private final String qiyuAppSecret = TestSecrets.hex(16);
    private final String meiqiaSecret = TestSecrets.alphanumeric(32);
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final String wechatSecret = WeChatSandbox.newSecret();
    private int payCalls;
    private int subscriptions;
    private int qiyuCalls;
    private int qiyuRefusals;
    private int wechatSends;
    private int wechatInvocations;
    private int wechatTokens;
    private int mapCalls;
    private int amapCalls;
    private int adsRequests;

    private Sandboxes(Path dir, int basePort, int hubPort) throws IOException {
        this.hubPort = hubPort;
        payKeys = new WeChatPayKeys(Files.createDirectories(dir.resolve("wechatpay")));
        pay = new WeChatPaySandbox(payKeys, basePort);
        String kuaidi100Key = TestSecrets.alphanumeric(12);
        kuaidi100 = Kuaidi100Sandbox.start(kuaidi100Key, basePort + 1);
        String qiyuAppKey = TestSecrets.hex(16);
        qiyu = QiyuSandbox.start(qiyuAppKey, qiyuAppSecret, basePort + 2);
        wechat = WeChatSandbox.start(basePort + 3);
        wechat.app(APP_ID, wechatSecret)
                .template(APP_ID, SHIPPED_TEMPLATE, "character_string1", "thing2", "character_string3", "time4")
                .template(APP_ID, LOGISTICS_TEMPLATE, "character_string1", "thing2", "time3");
        map = TencentMapSandbox.start(basePort + 4);
        amap = AmapSandbox.start(basePort + 5);
        ads = TencentAdsSandbox.start(basePort + 6, ADS_ACCOUNT, ADS_ACTION_SET);

        // A cloud environment with one function, for MPHUB_DESTINATIONS_NOTIFICATIONS_KIND=wechat-cloud-function.
        wechat.cloudFunction(APP_ID, CLOUD_ENV, "onOrderShipped", input -> "{\"notified\":\""
                + input.at("/data/orderId").asText() + "\"}");
        Path functions = dir.resolve("cloud-functions.yaml");
        Files.writeString(functions, "env: " + CLOUD_ENV + "\nfunctions:\n  mp.order.shipped: {name: onOrderShipped,"
                + " publishResult: true}\n");

        Path templates = dir.resolve("subscribe-messages.yaml");
        Files.writeString(templates, Files.readString(Path.of("routes", "subscribe-messages.yaml"))
                .replace("REPLACE-WITH-YOUR-SHIPPED-TEMPLATE-ID", SHIPPED_TEMPLATE)
                .replace("REPLACE-WITH-YOUR-LOGISTICS-TEMPLATE-ID", LOGISTICS_TEMPLATE));

        env.put("MPHUB_DEMO_ENABLED", "true");
        env.put("MPHUB_CONSOLE_PORT", "0");
        env.put("MPHUB_HTTP_PORT", Integer.toString(hubPort));
        env.put("MPHUB_DESTINATIONS_PAYMENT_KIND", "wechatpay-v3");
        env.put("MPHUB_DESTINATIONS_PAYMENT_URL", pay.url());
        env.put("MPHUB_WECHATPAY_MCHID", WeChatPayKeys.MCHID);
        env.put("MPHUB_WECHATPAY_MERCHANT_SERIAL", WeChatPayKeys.MERCHANT_SERIAL);
        env.put("MPHUB_WECHATPAY_MERCHANT_KEY_FILE", payKeys.merchantKeyFile.toString());
        env.put("MPHUB_WECHATPAY_PLATFORM_KEYS_DIR", payKeys.platformKeysDir.toString());
        env.put("MPHUB_WECHATPAY_APIV3_KEY", payKeys.apiV3Key);
        env.put("MPHUB_WECHATPAY_NOTIFY_URL", NOTIFY_URL);
        env.put("MPHUB_DESTINATIONS_LOGISTICS_KIND", "kuaidi100");
        env.put("MPHUB_DESTINATIONS_LOGISTICS_URL", kuaidi100.url());
        env.put("MPHUB_KUAIDI100_KEY", kuaidi100Key);
        env.put("MPHUB_KUAIDI100_SALT", kuaidi100Salt);
        env.put("MPHUB_KUAIDI100_CALLBACK_URL", hub("/callbacks/kuaidi100"));
        env.put("MPHUB_DESTINATIONS_CUSTOMER_SERVICE_KIND", "qiyu");
        env.put("MPHUB_DESTINATIONS_CUSTOMER_SERVICE_URL", qiyu.url());
        env.put("MPHUB_QIYU_APP_KEY", qiyuAppKey);
        env.put("MPHUB_QIYU_APP_SECRET", qiyuAppSecret);
        env.put("MPHUB_MEIQIA_WEBHOOK_SECRET", meiqiaSecret);
        env.put("MPHUB_DESTINATIONS_NOTIFICATIONS_KIND", "wechat-subscribe-message");
        env.put("MPHUB_DESTINATIONS_NOTIFICATIONS_URL", wechat.url());
        env.put("MPHUB_WECHAT_API_URL", wechat.url());
        env.put("MPHUB_WECHAT_APP_IDS", APP_ID);
        env.put("MPHUB_WECHAT_APPS_" + APP_ID.toUpperCase(Locale.ROOT) + "_SECRET", wechatSecret);
        env.put("MPHUB_WECHAT_SUBSCRIBE_MESSAGES", templates.toString());
        env.put("MPHUB_WECHAT_CLOUD_FUNCTIONS", functions.toString());
        env.put("MPHUB_TENCENTMAP_KEY", map.key());
        env.put("MPHUB_TENCENTMAP_SK", map.sk());
        env.put("MPHUB_TENCENTMAP_URL", map.url());
        // Tencent answers by default; MPHUB_GEOCODING_PROVIDER=amap switches the hub to AMap.
        env.put("MPHUB_AMAP_KEY", amap.key());
        env.put("MPHUB_AMAP_PRIVATE_KEY", amap.privateKey());
        env.put("MPHUB_AMAP_URL", amap.url());
        // A destination 'ads' of kind tencent-ads, in a copy of routes/ that sends it orders and payments.
        env.put("MPHUB_ROUTES_DIR", routesWithAds(dir).toString());
        env.put("MPHUB_DESTINATIONS_ADS_KIND", "tencent-ads");
        env.put("MPHUB_DESTINATIONS_ADS_URL", ads.url());
        env.put("MPHUB_TENCENTADS_ACCOUNT_ID", String.valueOf(ADS_ACCOUNT));
        env.put("MPHUB_TENCENTADS_USER_ACTION_SET_ID", String.valueOf(ADS_ACTION_SET));
        env.put("MPHUB_TENCENTADS_ACCESS_TOKEN", ads.accessToken());
        // analytics keeps kind webhook and no URL: the demo's receiver plays it, with a secret made per run.
        writeEnv(dir.resolve("mphub.env"));
    }

    public static void main(String[] args) throws Exception {
        int basePort = args.length > 0 ? Integer.parseInt(args[0]) : 8100;
        int hubPort = args.length > 1 ? Integer.parseInt(args[1]) : 8088;
        Path dir = Files.createDirectories(Path.of("target", "sandbox").toAbsolutePath());
        Sandboxes sandboxes = new Sandboxes(dir, basePort, hubPort);
        System.out.println("Sandboxes: WeChat Pay " + sandboxes.pay.url() + ", Kuaidi100 " + sandboxes.kuaidi100.url()
                + ", Qiyu " + sandboxes.qiyu.url() + ", WeChat " + sandboxes.wechat.url() + ", Tencent Location Service "
                + sandboxes.map.url() + ", AMap " + sandboxes.amap.url() + ", Tencent Ads " + sandboxes.ads.url());
        System.out.println("Keys and secrets for this run in " + dir + "; the hub's settings in " + dir.resolve("mphub.env"));
        System.out.println("Start the hub:  source " + Path.of("").toAbsolutePath().relativize(dir.resolve("mphub.env"))
                + " && java -jar target/mphub.jar");
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleWithFixedDelay(sandboxes::report, 200, 200, TimeUnit.MILLISECONDS);
        Thread.currentThread().join(); // until Ctrl-C
    }

    /**
     * routes/ as shipped, plus destination {@code ads} (template deliver-batch, every field: Tencent Ads needs the
     * real openid) in the fan-out of orders and payments.
     */
    private static Path routesWithAds(Path dir) throws IOException {
        Path routes = TestRoutes.copyInto(Files.createTempDirectory(dir, "routes-"));
        Files.writeString(routes.resolve("destinations/ads.camel.yaml"), """
                # Tencent Ads conversions, played by the local sandbox (io.mphub.testing.Sandboxes).
                - templatedRoute:
                    routeTemplateRef: deliver-batch
                    routeId: deliver-ads
                    parameters:
                      - name: destination
                        value: ads
                """);
        Path dispatch = routes.resolve("dispatch.camel.yaml");
        TestRoutes.edit(dispatch, "constant: payment,customer-service,analytics", "constant: payment,customer-service,"
                + "analytics,ads");
        TestRoutes.edit(dispatch, "constant: customer-service,analytics", "constant: customer-service,analytics,ads");
        return routes;
    }

    /** The hub settings this run needs, by environment variable: what {@code mphub.env} exports. */
    Map<String, String> env() {
        return Map.copyOf(env);
    }

    private void writeEnv(Path file) throws IOException {
        StringBuilder lines = new StringBuilder("# mphub settings for the local sandboxes (io.mphub.testing.Sandboxes);"
                + " made for one run, secrets included.\n");
        env.forEach((name, value) -> lines.append("export ").append(name).append("='").append(value).append("'\n"));
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, lines);
    }

    /** Prints what arrived at each sandbox since the last look, and plays the providers' callbacks. */
    private synchronized void report() {
        try {
            List<WeChatPaySandbox.Call> payNow = pay.calls();
            for (WeChatPaySandbox.Call call : payNow.subList(payCalls, payNow.size())) {
                print("wechatpay", call.path() + " out_trade_no=" + call.key() + " "
                        + (call.signatureValid() ? "signature verified" : "REFUSED (signature or headers)")
                        + " -> " + call.answeredStatus());
                if (call.signatureValid() && call.answeredStatus() == 200 && call.attempt() == 1
                        && call.path().equals("/v3/pay/transactions/jsapi")) {
                    callbacks.execute(() -> notifyPaid(call.json()));
                }
            }
            payCalls = payNow.size();

            List<Kuaidi100Sandbox.Subscription> subs = kuaidi100.subscriptions();
            for (Kuaidi100Sandbox.Subscription s : subs.subList(subscriptions, subs.size())) {
                print("kuaidi100", "/poll " + s.param().getCompany() + " " + s.param().getNumber() + " key "
                        + ("600".equals(s.answeredCode()) ? "REFUSED" : "verified") + " -> returnCode "
                        + s.answeredCode());
                if ("200".equals(s.answeredCode())) {
                    callbacks.execute(() -> pushTracking(s));
                }
            }
            subscriptions = subs.size();

            List<QiyuSandbox.Call> qiyuNow = qiyu.calls();
            for (QiyuSandbox.Call call : qiyuNow.subList(qiyuCalls, qiyuNow.size())) {
                print("qiyu", "updateUInfo uid=" + call.uid() + " checksum verified -> " + call.code() + " "
                        + call.values().keySet());
                if (call.code() == 200 && sessions.add(call.uid())) {
                    callbacks.execute(() -> startSession(call.uid()));
                }
            }
            qiyuCalls = qiyuNow.size();
            List<String> refused = qiyu.refusals();
            for (String r : refused.subList(qiyuRefusals, refused.size())) {
                print("qiyu", "updateUInfo REFUSED -> " + r);
            }
            qiyuRefusals = refused.size();

            List<WeChatSandbox.TokenCall> tokens = wechat.tokenCalls(APP_ID);
            for (WeChatSandbox.TokenCall t : tokens.subList(wechatTokens, tokens.size())) {
                print("wechat", "stable_token appid=" + t.appId() + (t.force() ? " force_refresh" : "") + " -> errcode "
                        + t.errcode() + (t.errcode() == 0 ? " (AppSecret verified)" : ""));
            }
            wechatTokens = tokens.size();
            List<WeChatSandbox.Send> sends = wechat.sends();
            for (WeChatSandbox.Send s : sends.subList(wechatSends, sends.size())) {
                print("wechat", "subscribe/send touser=" + s.touser() + " template="
                        + (s.body() == null ? "?" : s.body().path("template_id").asText()) + " token "
                        + (s.appId() == null ? "REFUSED" : "verified") + " -> errcode " + s.errcode());
            }
            wechatSends = sends.size();
            List<WeChatSandbox.Invocation> invoked = wechat.invocations();
            for (WeChatSandbox.Invocation call : invoked.subList(wechatInvocations, invoked.size())) {
                print("wechat", "invokecloudfunction env=" + call.env() + " name=" + call.name() + " -> errcode "
                        + call.errcode());
            }
            wechatInvocations = invoked.size();

            List<TencentMapSandbox.Call> mapNow = map.calls();
            for (TencentMapSandbox.Call c : mapNow.subList(mapCalls, mapNow.size())) {
                print("tencentmap", c.path() + " location=" + c.location() + " sig "
                        + (c.sigValid() ? "verified" : "REFUSED") + " -> status " + c.status());
            }
            mapCalls = mapNow.size();
            List<AmapSandbox.Call> amapNow = amap.calls();
            for (AmapSandbox.Call c : amapNow.subList(amapCalls, amapNow.size())) {
                print("amap", AmapSandbox.PATH + " location=" + c.location() + " "
                        + (c.sigValid() ? "sig verified" : "REFUSED (sig)") + " -> infocode " + c.infocode());
            }
            amapCalls = amapNow.size();
            List<TencentAdsSandbox.Request> adsNow = ads.requests();
            for (TencentAdsSandbox.Request r : adsNow.subList(adsRequests, adsNow.size())) {
                print("tencentads", TencentAdsSandbox.PATH + " " + r.actions().stream()
                        .map(a -> a.path("action_type").asText()).toList() + " token, timestamp, nonce "
                        + (r.code() == 10400 ? "REFUSED" : "verified") + " -> code " + r.code());
            }
            adsRequests = adsNow.size();
        } catch (RuntimeException e) {
            print("sandboxes", "could not report: " + e);
        }
    }

    /** WeChat Pay's side after the user pays: a TRANSACTION.SUCCESS notification, signed and encrypted. */
    private void notifyPaid(JsonNode prepay) {
        String transactionId = "4200002001" + OffsetDateTime.now(ZoneOffset.ofHours(8))
                .format(DateTimeFormatter.ofPattern("yyyyMMdd")) + String.format("%010d", transactions.incrementAndGet());
        long total = prepay.path("amount").path("total").asLong();
        String transaction = "{\"appid\":\"" + prepay.path("appid").asText() + "\",\"mchid\":\"" + WeChatPayKeys.MCHID
                + "\",\"out_trade_no\":\"" + prepay.path("out_trade_no").asText() + "\",\"transaction_id\":\""
                + transactionId + "\",\"trade_type\":\"JSAPI\",\"trade_state\":\"SUCCESS\",\"trade_state_desc\":\"支付成功\","
                + "\"bank_type\":\"OTHERS\",\"success_time\":\"" + OffsetDateTime.now(ZoneOffset.ofHours(8)).withNano(0)
                + "\",\"payer\":{\"openid\":\"" + prepay.path("payer").path("openid").asText() + "\"},"
                + "\"amount\":{\"total\":" + total + ",\"payer_total\":" + total + ",\"currency\":\"CNY\","
                + "\"payer_currency\":\"CNY\"}}";
        String nonce = TestSecrets.hex(6);
        String ciphertext = new AeadAesCipher(payKeys.apiV3Key.getBytes(UTF_8)).encrypt("transaction".getBytes(UTF_8),
                nonce.getBytes(UTF_8), transaction.getBytes(UTF_8));
        String body = "{\"id\":\"" + UUID.randomUUID() + "\",\"create_time\":\""
                + OffsetDateTime.now(ZoneOffset.ofHours(8)).withNano(0) + "\",\"resource_type\":\"encrypt-resource\","
                + "\"event_type\":\"TRANSACTION.SUCCESS\",\"summary\":\"支付成功\",\"resource\":{\"original_type\":"
                + "\"transaction\",\"algorithm\":\"AEAD_AES_256_GCM\",\"ciphertext\":\"" + ciphertext
                + "\",\"associated_data\":\"transaction\",\"nonce\":\"" + nonce + "\"}}";
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String headerNonce = TestSecrets.hex(16);
        HttpResponse<String> answer = post(HttpRequest.newBuilder(URI.create(hub("/callbacks/wechatpay")))
                .header("Content-Type", "application/json")
                .header("Wechatpay-Serial", pay.platformSerial())
                .header("Wechatpay-Timestamp", timestamp)
                .header("Wechatpay-Nonce", headerNonce)
                .header("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048")
                .header("Wechatpay-Signature", pay.platformSignature(timestamp, headerNonce, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build());
        print("wechatpay", "-> hub /callbacks/wechatpay TRANSACTION.SUCCESS " + prepay.path("out_trade_no").asText()
                + " (signed, encrypted) answered " + (answer == null ? "nothing" : answer.statusCode()));
    }

    /** Kuaidi100's side once a parcel moves: a tracking push signed with the subscription's salt. */
    private void pushTracking(Kuaidi100Sandbox.Subscription subscription) {
        SubscribePushResult last = new SubscribePushResult();
        last.setMessage("ok");
        last.setStatus("200");
        last.setState("0");
        last.setIscheck("0");
        last.setCom(subscription.param().getCompany());
        last.setNu(subscription.param().getNumber());
        String now = OffsetDateTime.now(ZoneOffset.ofHours(8)).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        SubscribePushData checkpoint = new SubscribePushData();
        checkpoint.setContext("顺丰速运已收取快件");
        checkpoint.setTime(now);
        checkpoint.setFtime(now);
        checkpoint.setAreaName("广东,深圳市");
        last.setData(new ArrayList<>(List.of(checkpoint)));
        SubscribePushParamResp push = new SubscribePushParamResp();
        push.setStatus("polling");
        push.setBillstatus("got");
        push.setMessage("");
        push.setLastResult(last);
        Kuaidi100Sandbox.PushAnswer answer;
        try {
            answer = kuaidi100.push(subscription, new Gson().toJson(push));
        } catch (IllegalStateException e) {
            print("kuaidi100", "-> " + subscription.callbackUrl() + " push " + subscription.param().getNumber()
                    + " not delivered: " + e.getCause());
            return;
        }
        print("kuaidi100", "-> " + subscription.callbackUrl() + " push " + subscription.param().getNumber()
                + " (signed with the salt) answered " + answer.status() + " " + answer.body());
    }

    private HttpResponse<String> post(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Plays the agent's side: a session with the user starts in Qiyu (its SESSION_START push, checksum as Qiyu
     * signs it) and, as if the mini program also used Meiqia, a conversation there (its conversation.created webhook,
     * Meiqia-Signature as Meiqia signs it): each becomes mp.cs.session_started on mp.results.
     */
    private void startSession(String uid) {
        long session = Math.abs((long) uid.hashCode()) % 1_000_000;
        try {
            HttpResponse<String> qiyuAnswer = qiyu.push(hub("/callbacks/qiyu"), "SESSION_START", "{\"code\":200,\"sessionId\":" + session
                    + ",\"staffId\":3201,\"staffName\":\"小七\",\"uid\":\"" + uid + "\"}",
                    Instant.now().getEpochSecond());
            print("qiyu", "-> hub /callbacks/qiyu SESSION_START uid=" + uid + " (checksum) answered "
                    + qiyuAnswer.statusCode());
            String body = "{\"id\":\"sub_sandbox_" + session + "\",\"event\":\"conversation.created\",\"created_at\":"
                    + Instant.now().getEpochSecond() + ",\"conversation\":{\"conv_id\":" + session
                    + ",\"dev_client_id\":\"" + uid + "\"}}";
            HttpResponse<String> meiqia = http.send(HttpRequest.newBuilder(URI.create(hub("/callbacks/meiqia")))
                    .header("Meiqia-Signature", sha1(body + meiqiaSecret)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            print("meiqia", "-> hub /callbacks/meiqia conversation.created dev_client_id=" + uid + " (signed) answered "
                    + meiqia.statusCode());
        } catch (IOException e) {
            print("qiyu", "-> hub: session start not delivered: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String hub(String path) {
        return "http://127.0.0.1:" + hubPort + path;
    }

    private static void print(String sandbox, String line) {
        System.out.println(LocalTime.now().format(CLOCK) + " " + String.format("%-10s", sandbox) + " " + line);
    }
}
