package io.mphub.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local AMap (高德) reverse geocoder ({@code GET /v3/geocode/regeo}) for tests. It checks each request as AMap does
 * for a web service key with the digital signature (数字签名) on: the key (10001), then {@code sig} recomputed here as
 * lower-hex MD5 over the other parameters sorted by name with their URL-decoded values, followed by the private key
 * (10007; written from AMap's description, sharing no code with the hub's signer), then {@code location} as
 * {@code lng,lat} (20000). It answers HTTP 200 with AMap's JSON: {@code status} "1" and infocode 10000 with a
 * {@code regeocode} (Beijing's {@code city} an empty array, as AMap gives it for a municipality), or status "0" with
 * an infocode; it can be scripted to answer another infocode per location, and counts every call.
 */
public final class AmapSandbox implements AutoCloseable {

    public static final String PATH = "/v3/geocode/regeo";

    /** One request as it arrived, and the infocode it was answered with. */
    public record Call(Map<String, String> params, boolean sigValid, int infocode) {
        public String location() {
            return params.get("location");
        }
    }

    private record Place(String address, String province, Object city, String district, String adcode) {
    }

    /** By {@code lng,lat}, as AMap takes a location. */
    private static final Map<String, Place> PLACES = Map.of(
            "116.4074,39.9042", new Place("北京市东城区东华门街道天安门", "北京市", List.of(), "东城区", "110101"),
            "121.4737,31.2304", new Place("上海市黄浦区南京东路街道人民大道200号", "上海市", List.of(), "黄浦区", "310101"),
            "113.2644,23.1291", new Place("广东省广州市越秀区北京街道府前路1号", "广东省", "广州市", "越秀区", "440104"));

    private static final Map<Integer, String> INFO = Map.of(10001, "INVALID_USER_KEY", 10003, "DAILY_QUERY_OVER_LIMIT",
            10004, "ACCESS_TOO_FREQUENT", 10007, "INVALID_USER_SIGNATURE", 10016, "SERVER_IS_BUSY", 20000,
            "INVALID_PARAMS", 20003, "UNKNOWN_ERROR");

    private final ObjectMapper json = new ObjectMapper();
    private final String key = TestSecrets.hex(16);
    private final String privateKey = TestSecrets.hex(16);
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpServer server;
    private volatile ToIntFunction<String> infocodeScript = location -> 10000;

    private AmapSandbox(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** A sandbox with a fresh key and private key. */
    public static AmapSandbox start() throws IOException {
        return start(0);
    }

    /** @param port 0 for any free port */
    public static AmapSandbox start(int port) throws IOException {
        return new AmapSandbox(port);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String key() {
        return key;
    }

    public String privateKey() {
        return privateKey;
    }

    /** Answers each checked request with the infocode this gives for its location ({@code lng,lat}). */
    public void answerInfocode(ToIntFunction<String> infocodeForLocation) {
        this.infocodeScript = infocodeForLocation;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The address the sandbox gives for a location, {@code lng,lat}. */
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
        return new Place("北京市海淀区燕园街道沙箱路" + number + "号", "北京市", List.of(), "海淀区", "110108");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            if (!path.equals(PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Map<String, String> params = SandboxQueries.parse(exchange.getRequestURI().getRawQuery());
            boolean sigValid = SandboxQueries.md5OfSorted("", params, privateKey).equals(params.get("sig"));
            int infocode = check(params, sigValid);
            if (infocode == 10000) {
                infocode = infocodeScript.applyAsInt(params.get("location"));
            }
            calls.add(new Call(Map.copyOf(params), sigValid, infocode));
            byte[] body = json.writeValueAsBytes(infocode == 10000 ? found(params.get("location")) : error(infocode));
            exchange.getResponseHeaders().add("content-type", "application/json;charset=UTF-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** AMap's checks, in its order: the key, the signature, the parameters. */
    private int check(Map<String, String> params, boolean sigValid) {
        if (!key.equals(params.get("key"))) {
            return 10001;
        }
        if (!sigValid) {
            return 10007;
        }
        return SandboxQueries.point(params.get("location"), 180, 90) ? 10000 : 20000; // longitude first
    }

    private ObjectNode found(String location) {
        Place p = place(location);
        ObjectNode answer = json.createObjectNode().put("status", "1").put("info", "OK").put("infocode", "10000");
        ObjectNode regeocode = answer.putObject("regeocode").put("formatted_address", p.address());
        ObjectNode component = regeocode.putObject("addressComponent").put("country", "中国")
                .put("province", p.province()).put("district", p.district()).put("adcode", p.adcode());
        component.set("city", json.valueToTree(p.city()));
        return answer;
    }

    private ObjectNode error(int infocode) {
        return json.createObjectNode().put("status", "0").put("info", INFO.getOrDefault(infocode, "ERROR"))
                .put("infocode", String.valueOf(infocode));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
