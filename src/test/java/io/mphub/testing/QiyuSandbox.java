package io.mphub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Qiyu open API: {@code POST /openapi/event/updateUInfo?appKey=…&time=…&checksum=…} checked the way Qiyu
 * does, with its own digests: the app key (14001), {@code time} within 5 minutes (14003), {@code checksum =
 * SHA1(appSecret + md5(body) + time)} over the body bytes received (14002), a JSON body with {@code uid} and a
 * {@code userinfo} array (14004). Valid calls are answered with the code the test scripts (200 by default) and, when
 * 200, recorded.
 */
public final class QiyuSandbox implements AutoCloseable {

    private static final HttpClient PUSHES = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A call as it arrived: the uid, its userinfo, and the code it was answered. */
    public record Call(String uid, JsonNode userinfo, int code) {
        /** key → value of the userinfo items. */
        public Map<String, String> values() {
            Map<String, String> values = new HashMap<>();
            userinfo.forEach(i -> values.put(i.path("key").asText(), i.path("value").asText()));
            return values;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long VALIDITY_SECONDS = 300;

    private final String appKey;
    private volatile String appSecret;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private volatile BiFunction<String, Integer, Integer> script = (uid, attempt) -> 200;

    private QiyuSandbox(String appKey, String appSecret, int port) throws IOException {
        this.appKey = appKey;
        this.appSecret = appSecret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/openapi/event/updateUInfo", this::updateUserInfo);
        server.setExecutor(threads);
        server.start();
    }

    public static QiyuSandbox start(String appKey, String appSecret) throws IOException {
        return start(appKey, appSecret, 0);
    }

    /** @param port 0 for any free port */
    public static QiyuSandbox start(String appKey, String appSecret, int port) throws IOException {
        return new QiyuSandbox(appKey, appSecret, port);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** As when someone resets the app secret in Qiyu's console. */
    public void appSecret(String secret) {
        this.appSecret = secret;
    }

    /** The code for a valid call, by uid and how many valid calls that uid made (1 = first). */
    public void script(BiFunction<String, Integer, Integer> script) {
        this.script = script;
    }

    /** Accepted calls, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Refused calls, in order: "code message". */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    public List<Call> callsOf(String uid) {
        return calls.stream().filter(c -> uid.equals(c.uid())).toList();
    }

    private void updateUserInfo(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String time = query.getOrDefault("time", "");
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 14004, "POST only");
            } else if (!appKey.equals(query.get("appKey"))) {
                answer(exchange, 14001, "appKey 不正确");
            } else if (!time.matches("[0-9]{1,12}")
                    || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(time)) >= VALIDITY_SECONDS) {
                answer(exchange, 14003, "传递的 time 参数不正确");
            } else if (!hex("SHA-1", (appSecret + hex("MD5", body) + time).getBytes(UTF_8)).equals(query.get("checksum"))) {
                answer(exchange, 14002, "checksum 校验出错");
            } else {
                JsonNode json;
                try {
                    json = JSON.readTree(body);
                } catch (IOException e) {
                    json = null;
                }
                if (json == null || !json.path("uid").isTextual() || !json.path("userinfo").isArray()
                        || !String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
                    answer(exchange, 14004, "内容格式不是json，或者缺乏必备的字段");
                    return;
                }
                String uid = json.get("uid").asText();
                int code = script.apply(uid, attempts.computeIfAbsent(uid, u -> new AtomicInteger()).incrementAndGet());
                calls.add(new Call(uid, json.get("userinfo"), code));
                answer(exchange, code, code == 200 ? null : "服务器内部错误");
            }
        }
    }

    private void answer(HttpExchange exchange, int code, String message) throws IOException {
        if (code != 200) {
            refusals.add(code + " " + message);
        }
        var node = JSON.createObjectNode().put("code", code);
        if (message != null) {
            node.put("message", message);
        }
        byte[] bytes = JSON.writeValueAsBytes(node);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Pushes to the developer server as Qiyu does: the JSON body POSTed to {@code url?eventType=…&time=…&checksum=…},
     * the checksum {@code SHA1(appSecret + MD5(body) + time)} under this sandbox's app secret (its own digests).
     *
     * @param time Unix seconds: the clock of the push
     */
    public HttpResponse<String> push(String url, String eventType, String body, long time)
            throws IOException, InterruptedException {
        String checksum = hex("SHA-1", (appSecret + hex("MD5", body.getBytes(UTF_8)) + time).getBytes(UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "?eventType=" + eventType + "&time=" + time
                        + "&checksum=" + checksum)).header("content-type", "application/json;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build();
        return PUSHES.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            }
        }
        return fields;
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
