package io.mphub.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Tencent Location Service reverse geocoder ({@code GET /ws/geocoder/v1}) for tests. It checks each
 * request as Tencent does for a key whose WebServiceAPI uses the signature check (签名校验): the key, then
 * {@code sig} recomputed here as lower-hex MD5 over path + "?" + the other parameters sorted by name with their
 * URL-decoded values + SK (written from Tencent's description, sharing no code with the hub's signer), then the
 * {@code location}. It answers HTTP 200 with Tencent's JSON and status codes, counts every call, and can be
 * scripted to answer another status (120, 121, 500, …), to fail at the HTTP level, to hold its answers until
 * released (a slow service), or to be down (not listening).
 */
public final class TencentMapSandbox implements AutoCloseable {

    public static final String PATH = "/ws/geocoder/v1";

    /** One request as it arrived, and the status it was answered with (0: an address; -1: an HTTP error). */
    public record Call(String path, Map<String, String> params, boolean sigValid, int status) {
        public String location() {
            return params.get("location");
        }
    }

    private record Place(String address, String recommend, String province, String city, String district,
            String street, String adcode) {
    }

    private static final Map<String, Place> PLACES = Map.of(
            "39.9042,116.4074", new Place("北京市东城区东长安街", "天安门", "北京市", "北京市", "东城区", "东长安街", "110101"),
            "31.2304,121.4737", new Place("上海市黄浦区人民大道200号", "人民广场", "上海市", "上海市", "黄浦区", "人民大道",
                    "310101"),
            "28.7033,115.8661", new Place("江西省南昌市青山湖区民营科技园", "南昌高新区", "江西省", "南昌市", "青山湖区",
                    "京东大道", "360111"));

    private static final Map<Integer, String> MESSAGES = Map.of(
            111, "签名验证失败", 120, "此key每秒请求量已达到上限", 121, "此key每日调用量已达到上限", 190, "无效的KEY",
            301, "缺少必要字段key", 310, "请求参数信息有误", 347, "查询无结果", 500, "服务响应失败");

    private final ObjectMapper json = new ObjectMapper();
    private final String key;
    private final String sk;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private volatile ToIntFunction<String> statusScript = location -> 0;
    private volatile int httpError;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile HttpServer server;
    private int port;

    private TencentMapSandbox(String key, String sk, int port) throws IOException {
        this.key = key;
        this.sk = sk;
        this.port = port;
        listen();
    }

    /** A sandbox with a fresh key and SK of Tencent's shapes. */
    public static TencentMapSandbox start() throws IOException {
        return start(0);
    }

    /** @param port 0 for any free port */
    public static TencentMapSandbox start(int port) throws IOException {
        return new TencentMapSandbox(newKey(), randomText(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
                port);
    }

    public static String newKey() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return String.join("-", randomText(5, alphabet), randomText(5, alphabet), randomText(5, alphabet),
                randomText(5, alphabet), randomText(5, alphabet), randomText(5, alphabet));
    }

    private static String randomText(int length, String alphabet) {
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** (Re)starts listening on the same port: a service that comes back. */
    public synchronized void listen() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        s.createContext("/", this::handle);
        s.setExecutor(threads);
        s.start();
        port = s.getAddress().getPort();
        server = s;
    }

    /** Stops listening: connections are refused, as with a service that is down. */
    public synchronized void stop() {
        server.stop(0);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String key() {
        return key;
    }

    public String sk() {
        return sk;
    }

    /** Answers each checked request with the status this gives for its location, 0 meaning an address. */
    public void answerStatus(ToIntFunction<String> statusForLocation) {
        this.statusScript = statusForLocation;
    }

    /** Answers every request with this HTTP status and an HTML page (0: answer normally again). */
    public void failWithHttp(int status) {
        this.httpError = status;
    }

    /** Holds every answer until {@link #release()}: a service slower than any timeout. */
    public void holdAnswers() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    /** Back to answering every request at once with an address, clearing the calls. */
    public void reset() {
        release();
        statusScript = location -> 0;
        httpError = 0;
        calls.clear();
        answered.set(0);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Calls answered so far (a held call is answered once released, or never if the caller gave up). */
    public int answered() {
        return answered.get();
    }

    public List<Call> callsAt(String location) {
        return calls.stream().filter(c -> location.equals(c.location())).toList();
    }

    public String addressOf(String location) {
        return place(location).address();
    }

    public String adcodeOf(String location) {
        return place(location).adcode();
    }

    private static Place place(String location) {
        Place known = PLACES.get(location);
        if (known != null) {
            return known;
        }
        int number = Math.floorMod(location.hashCode(), 999) + 1;
        return new Place("北京市海淀区沙箱路" + number + "号", "沙箱路" + number + "号", "北京市", "北京市", "海淀区", "沙箱路",
                "110108");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            if (!path.equals(PATH) && !path.equals(PATH + "/")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Map<String, String> params = SandboxQueries.parse(exchange.getRequestURI().getRawQuery());
            boolean sigValid = SandboxQueries.md5OfSorted(path + "?", params, sk).equals(params.get("sig"));
            int status = check(params, sigValid);
            if (status == 0) {
                status = statusScript.applyAsInt(params.get("location"));
            }
            int http = httpError;
            calls.add(new Call(path, Map.copyOf(params), sigValid, http != 0 ? -1 : status));
            awaitRelease();
            answered.incrementAndGet();
            if (http != 0) {
                byte[] page = ("<html><body><h1>" + http + "</h1></body></html>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "text/html");
                exchange.sendResponseHeaders(http, page.length);
                exchange.getResponseBody().write(page);
                return;
            }
            byte[] body = json.writeValueAsBytes(status == 0 ? found(params.get("location")) : error(status));
            exchange.getResponseHeaders().add("content-type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void awaitRelease() {
        try {
            hold.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tencent's checks, in its order: the key, the signature, the parameters. */
    private int check(Map<String, String> params, boolean sigValid) {
        if (!params.containsKey("key")) {
            return 301;
        }
        if (!key.equals(params.get("key"))) {
            return 190;
        }
        if (!sigValid) {
            return 111;
        }
        return SandboxQueries.point(params.get("location"), 90, 180) ? 0 : 310;
    }

    private ObjectNode found(String location) {
        Place p = place(location);
        String[] latLng = location.split(",");
        ObjectNode answer = json.createObjectNode().put("status", 0).put("message", "Success")
                .put("request_id", randomText(16, "0123456789abcdef"));
        ObjectNode result = answer.putObject("result");
        result.putObject("location").put("lat", Double.parseDouble(latLng[0])).put("lng", Double.parseDouble(latLng[1]));
        result.put("address", p.address());
        result.putObject("formatted_addresses").put("recommend", p.recommend()).put("rough", p.recommend());
        result.putObject("address_component").put("nation", "中国").put("province", p.province()).put("city", p.city())
                .put("district", p.district()).put("street", p.street()).put("street_number", p.street());
        result.putObject("ad_info").put("nation_code", "156").put("adcode", p.adcode())
                .put("name", "中国," + p.province() + "," + p.city() + "," + p.district())
                .put("nation", "中国").put("province", p.province()).put("city", p.city()).put("district", p.district());
        return answer;
    }

    private ObjectNode error(int status) {
        return json.createObjectNode().put("status", status).put("message", MESSAGES.getOrDefault(status, "错误"))
                .put("request_id", randomText(16, "0123456789abcdef"));
    }

    @Override
    public void close() {
        release();
        stop();
        threads.shutdownNow();
    }
}
