package io.mphub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.binarywang.wxpay.util.SignUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A local stand-in for api.mch.weixin.qq.com that checks what the real one checks, with WeChat Pay's own SDK code
 * where it can:
 * <ul>
 *   <li>API v3 ({@code /v3/pay/transactions/jsapi}, {@code /v3/refund/domestic/refunds}): the
 *       {@code WECHATPAY2-SHA256-RSA2048} Authorization (mchid, merchant serial, 5-minute timestamp window, the
 *       signature verified with wechatpay-java's {@link RSAVerifier} and the merchant public key), Accept and
 *       User-Agent; refused as WeChat Pay does ({@code 401 SIGN_ERROR}). Answers are signed with wechatpay-java's
 *       {@link RSASigner} and the sandbox's own platform key, its serial in {@code Wechatpay-Serial}.</li>
 *   <li>API v2 ({@code /pay/unifiedorder}, and the refund {@code /secapi/pay/refund}): the {@code sign} checked
 *       with weixin-java-pay's {@link SignUtils} (a bad one is answered {@code return_code FAIL 签名错误}); answers
 *       signed with it. Started with {@link #mutualTls}, it is HTTPS and demands a client certificate.</li>
 * </ul>
 * Answers are scripted per request (by out_trade_no / out_refund_no and attempt); every request is recorded.
 */
public final class WeChatPaySandbox implements AutoCloseable {

    /** How a scripted v3 answer is signed. */
    public enum Signing { GOOD, BAD, MISSING, UNKNOWN_SERIAL }

    /** One request as it arrived and how it was answered. */
    public record Call(String path, Map<String, List<String>> headers, String body, String key, int attempt,
            boolean signatureValid, int answeredStatus, Signing signing, Instant at) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public Map<String, String> xml() {
            return parseXml(body);
        }
    }

    /** A v3 answer: status, JSON body and how it is signed. */
    public record Reply(int status, String body, Signing signing) {
        public static Reply ok(String body) {
            return new Reply(200, body, Signing.GOOD);
        }

        public static Reply error(int status, String code, String message) {
            return new Reply(status, "{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}", Signing.GOOD);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern AUTH_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final WeChatPayKeys keys;
    private final String platformSerial;
    private final KeyPair platform;
    private final KeyPair stranger = TestSecrets.rsa2048();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private volatile BiFunction<Call, Integer, Reply> v3Script = WeChatPaySandbox::standard;
    private volatile BiFunction<Map<String, String>, Integer, Map<String, String>> v2Script = WeChatPaySandbox::defaultV2;

    public WeChatPaySandbox(WeChatPayKeys keys) throws IOException {
        this(keys, 0);
    }

    /** @param port 0 for any free port */
    public WeChatPaySandbox(WeChatPayKeys keys, int port) throws IOException {
        this(keys, HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
    }

    /**
     * Over HTTPS, as WeChat Pay is, demanding a client certificate (mutual TLS), as its {@code /secapi/} APIs do: a
     * client without one the {@code tls} context trusts fails the handshake.
     */
    public static WeChatPaySandbox mutualTls(WeChatPayKeys keys, SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        return new WeChatPaySandbox(keys, server);
    }

    private WeChatPaySandbox(WeChatPayKeys keys, HttpServer server) {
        this.keys = keys;
        this.platform = keys.platform;
        this.platformSerial = WeChatPayKeys.PLATFORM_SERIAL;
        this.server = server;
        server.createContext("/v3/", this::v3);
        server.createContext("/pay/unifiedorder", exchange -> v2(exchange, "out_trade_no"));
        server.createContext("/secapi/pay/refund", exchange -> v2(exchange, "out_refund_no"));
        server.createContext("/", exchange -> { // the hub's probe of a paused destination
            try (exchange) {
                exchange.sendResponseHeaders(404, -1);
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Scripts v3 answers: (request, attempt for its out_trade_no / out_refund_no, from 1) → answer. */
    public void answerV3(BiFunction<Call, Integer, Reply> script) {
        this.v3Script = script;
    }

    /** Scripts v2 answers: (request fields, attempt) → answer fields, which the sandbox signs. */
    public void answerV2(BiFunction<Map<String, String>, Integer, Map<String, String>> script) {
        this.v2Script = script;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> callsFor(String key) {
        return calls.stream().filter(c -> key.equals(c.key())).toList();
    }

    public static String prepayIdFor(String orderId, int attempt) {
        return "wx" + orderId + "a" + attempt;
    }

    /** The answer WeChat Pay gives a good request: a prepay_id, or an accepted refund. */
    public static Reply standard(Call call, int attempt) {
        if (call.path().equals("/v3/refund/domestic/refunds")) {
            JsonNode body = call.json();
            return Reply.ok("{\"refund_id\":\"50000000382019052709732678859\",\"out_refund_no\":\""
                    + body.path("out_refund_no").asText() + "\",\"out_trade_no\":\"" + body.path("out_trade_no").asText()
                    + "\",\"status\":\"PROCESSING\",\"amount\":" + body.path("amount") + "}");
        }
        return Reply.ok("{\"prepay_id\":\"" + prepayIdFor(call.key(), attempt) + "\"}");
    }

    private void v3(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
            String problem = checkV3(exchange, path, body);
            String key = key(path, body);
            int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            Call pending = new Call(path, headers, body, key, attempt, problem == null, 0, null, Instant.now());
            Reply reply = problem == null ? v3Script.apply(pending, attempt)
                    : Reply.error(problem.startsWith("Accept") || problem.startsWith("User-Agent") ? 400 : 401,
                            problem.startsWith("Accept") || problem.startsWith("User-Agent") ? "INVALID_REQUEST" : "SIGN_ERROR",
                            problem);
            calls.add(new Call(path, headers, body, key, attempt, problem == null, reply.status(), reply.signing(), pending.at()));
            respondV3(exchange, reply);
        }
    }

    /** What WeChat Pay would refuse in this request, or null. */
    private String checkV3(HttpExchange exchange, String path, String body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("WECHATPAY2-SHA256-RSA2048 ")) {
            return "Authorization is missing or not WECHATPAY2-SHA256-RSA2048";
        }
        Map<String, String> params = new HashMap<>();
        Matcher m = AUTH_PARAM.matcher(authorization);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        if (!WeChatPayKeys.MCHID.equals(params.get("mchid"))) {
            return "mchid does not match";
        }
        if (!WeChatPayKeys.MERCHANT_SERIAL.equals(params.get("serial_no"))) {
            return "serial_no is not the merchant certificate's";
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(params.get("timestamp"));
        } catch (NumberFormatException e) {
            return "timestamp is not a number";
        }
        if (Duration.between(Instant.ofEpochSecond(timestamp), Instant.now()).abs().compareTo(MAX_SKEW) >= 0) {
            return "timestamp is too far off";
        }
        String query = exchange.getRequestURI().getRawQuery();
        String message = exchange.getRequestMethod() + "\n" + path + (query == null ? "" : "?" + query) + "\n"
                + timestamp + "\n" + params.get("nonce_str") + "\n" + body + "\n";
        PublicKey merchantKey = keys.merchant.getPublic();
        if (params.get("signature") == null || !new RSAVerifier(merchantKey, WeChatPayKeys.MERCHANT_SERIAL)
                .verify(params.get("serial_no"), message, params.get("signature"))) {
            return "signature does not verify";
        }
        if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Accept"))) {
            return "Accept must be application/json";
        }
        if (exchange.getRequestHeaders().getFirst("User-Agent") == null) {
            return "User-Agent is required";
        }
        return null;
    }

    private static String key(String path, String body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            return path.contains("refund") ? json.path("out_refund_no").asText() : json.path("out_trade_no").asText();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private void respondV3(HttpExchange exchange, Reply reply) throws IOException {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String nonce = UUID.randomUUID().toString().replace("-", "");
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", "application/json; charset=utf-8");
        h.set("Request-ID", UUID.randomUUID().toString());
        switch (reply.signing()) {
            case GOOD -> sign(h, platformSerial, platform, timestamp, nonce, reply.body());
            case BAD -> sign(h, platformSerial, platform, timestamp, nonce, reply.body() + " "); // over other bytes
            case UNKNOWN_SERIAL -> sign(h, "PUB_KEY_ID_0000000000000000000000000000000", stranger, timestamp, nonce,
                    reply.body());
            case MISSING -> { }
        }
        byte[] bytes = reply.body().getBytes(UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sign(com.sun.net.httpserver.Headers h, String serial, KeyPair key, String timestamp, String nonce,
            String signedBody) {
        h.set("Wechatpay-Serial", serial);
        h.set("Wechatpay-Timestamp", timestamp);
        h.set("Wechatpay-Nonce", nonce);
        h.set("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
        h.set("Wechatpay-Signature", new RSASigner(serial, key.getPrivate())
                .sign(timestamp + "\n" + nonce + "\n" + signedBody + "\n").getSign());
    }

    /** v3 callback signature for a notification body, as WeChat Pay's platform signs it. */
    public String platformSignature(String timestamp, String nonce, String body) {
        return new RSASigner(platformSerial, platform.getPrivate()).sign(timestamp + "\n" + nonce + "\n" + body + "\n")
                .getSign();
    }

    public String platformSerial() {
        return platformSerial;
    }

    // ---- API v2 ----

    /** A unified order's answer, or a refund's (a request with out_refund_no); a refund missing a field: PARAM_ERROR. */
    public static Map<String, String> defaultV2(Map<String, String> request, int attempt) {
        Map<String, String> answer = new HashMap<>();
        answer.put("return_code", "SUCCESS");
        answer.put("return_msg", "OK");
        answer.put("result_code", "SUCCESS");
        if (request.containsKey("out_refund_no")) {
            if (!request.keySet().containsAll(List.of("appid", "mch_id", "nonce_str", "out_trade_no", "total_fee",
                    "refund_fee"))) {
                answer.put("result_code", "FAIL");
                answer.put("err_code", "PARAM_ERROR");
                answer.put("err_code_des", "参数错误");
                return answer;
            }
            answer.put("out_trade_no", request.get("out_trade_no"));
            answer.put("out_refund_no", request.get("out_refund_no"));
            answer.put("refund_id", "50000" + Math.abs(request.get("out_refund_no").hashCode()));
            answer.put("refund_fee", request.get("refund_fee"));
            answer.put("total_fee", request.get("total_fee"));
            answer.put("cash_fee", request.get("total_fee"));
            return answer;
        }
        answer.put("prepay_id", prepayIdFor(request.get("out_trade_no"), attempt));
        answer.put("trade_type", "JSAPI");
        return answer;
    }

    /** @param keyField the field a call is known by: out_trade_no for an order, out_refund_no for a refund */
    private void v2(HttpExchange exchange, String keyField) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            Map<String, String> request = parseXml(body);
            String signType = request.getOrDefault("sign_type", "MD5");
            boolean valid = SignUtils.checkSign(request, signType, keys.v2ApiKey);
            String key = request.getOrDefault(keyField, "unreadable");
            int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            Map<String, String> answer;
            if (!valid) {
                answer = Map.of("return_code", "FAIL", "return_msg", "签名错误");
            } else {
                answer = new HashMap<>(v2Script.apply(request, attempt));
                answer.put("appid", request.get("appid"));
                answer.put("mch_id", request.get("mch_id"));
                answer.put("nonce_str", UUID.randomUUID().toString().replace("-", ""));
                answer.put("sign", SignUtils.createSign(answer, signType, keys.v2ApiKey, null));
            }
            calls.add(new Call(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body, key,
                    attempt, valid, 200, null, Instant.now()));
            StringBuilder xml = new StringBuilder("<xml>");
            answer.forEach((k, v) -> xml.append('<').append(k).append("><![CDATA[").append(v).append("]]></")
                    .append(k).append('>'));
            byte[] bytes = xml.append("</xml>").toString().getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    static Map<String, String> parseXml(String body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(UTF_8)))
                    .getDocumentElement();
            Map<String, String> fields = new HashMap<>();
            for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    fields.put(e.getTagName(), e.getTextContent());
                }
            }
            return fields;
        } catch (Exception e) {
            return Map.of();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
