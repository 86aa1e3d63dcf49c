package io.mphub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import com.google.gson.Gson;
import com.google.gson.JsonSyntaxException;
import com.kuaidi100.sdk.request.SubscribeParam;
import com.kuaidi100.sdk.response.SubscribeResp;
import com.kuaidi100.sdk.utils.SignUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Kuaidi100: {@code POST /poll} takes a tracking subscription the way Kuaidi100 does (a form with
 * {@code schema=json} and {@code param}, read into the SDK's own {@link SubscribeParam}; a wrong key answers 600,
 * missing data 700) and answers in its format, with result codes the test scripts per waybill. Like Kuaidi100 it
 * then pushes to the subscription's callback URL, signing with the salt it was given ({@link SignUtils}, the SDK's
 * MD5).
 */
public final class Kuaidi100Sandbox implements AutoCloseable {

    /** A subscription as it arrived, and the code it was answered. */
    public record Subscription(String rawParam, SubscribeParam param, String answeredCode) {
        public String callbackUrl() {
            return param.getParameters().getCallbackurl();
        }

        public String salt() {
            return param.getParameters().getSalt();
        }
    }

    /** The hub's answer to a push. */
    public record PushAnswer(int status, String body) {
    }

    private static final Map<String, String> MESSAGES = Map.of(
            "200", "提交成功", "501", "POLL:重复订阅", "500", "服务器错误",
            "600", "您不是合法的订阅者（即授权Key出错）", "601", "POLL:KEY已过期",
            "700", "订阅方的订阅数据存在错误（如不支持的快递公司、单号为空、单号超长等）或错误的回调地址",
            "701", "拒绝订阅的快递公司", "702", "POLL:识别不到该单号对应的快递公司");

    private final String key;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private volatile BiFunction<SubscribeParam, Integer, String> script = (param, attempt) -> "200";

    private Kuaidi100Sandbox(String key, int port) throws IOException {
        this.key = key;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/poll", this::poll);
        server.setExecutor(threads);
        server.start();
    }

    /** @param key the authorisation key of the account it plays */
    public static Kuaidi100Sandbox start(String key) throws IOException {
        return start(key, 0);
    }

    /** @param port 0 for any free port */
    public static Kuaidi100Sandbox start(String key, int port) throws IOException {
        return new Kuaidi100Sandbox(key, port);
    }

    /** The base URL, as {@code mphub.destinations.<name>.url}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The returnCode for a valid subscription, by its param and how many times that waybill came (1 = first). */
    public void script(BiFunction<SubscribeParam, Integer, String> script) {
        this.script = script;
    }

    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions);
    }

    public List<Subscription> subscriptionsOf(String number) {
        return subscriptions.stream().filter(s -> number.equals(s.param().getNumber())).toList();
    }

    private void poll(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!"POST".equals(exchange.getRequestMethod()) || !contentType.startsWith("application/x-www-form-urlencoded")) {
                answer(exchange, "700");
                return;
            }
            Map<String, String> form = form(new String(in.readAllBytes(), UTF_8));
            SubscribeParam param;
            try {
                param = new Gson().fromJson(form.get("param"), SubscribeParam.class);
            } catch (JsonSyntaxException e) {
                param = null;
            }
            String code;
            if (!"json".equals(form.get("schema")) || param == null || blank(param.getCompany())
                    || blank(param.getNumber()) || param.getParameters() == null
                    || blank(param.getParameters().getCallbackurl())) {
                code = "700";
            } else if (!key.equals(param.getKey())) {
                code = "600";
            } else {
                int attempt = attempts.computeIfAbsent(param.getNumber(), n -> new AtomicInteger()).incrementAndGet();
                code = script.apply(param, attempt);
            }
            if (param != null) {
                subscriptions.add(new Subscription(form.get("param"), param, code));
            }
            answer(exchange, code);
        }
    }

    private static void answer(HttpExchange exchange, String code) throws IOException {
        SubscribeResp resp = new SubscribeResp();
        resp.setResult("200".equals(code));
        resp.setReturnCode(code);
        resp.setMessage(MESSAGES.getOrDefault(code, "未知错误"));
        byte[] body = new Gson().toJson(resp).getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Pushes {@code param} to the subscription's callback URL, signed as Kuaidi100 signs: MD5(param + salt). */
    public PushAnswer push(Subscription subscription, String param) {
        return post(subscription.callbackUrl(), "param=" + URLEncoder.encode(param, UTF_8) + "&sign="
                + SignUtils.sign(param + subscription.salt()));
    }

    /** Posts any form to any URL, as a forger would. */
    public PushAnswer post(String url, String form) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            return new PushAnswer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), UTF_8), URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            }
        }
        return fields;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
