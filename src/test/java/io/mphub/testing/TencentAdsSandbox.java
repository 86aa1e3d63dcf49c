package io.mphub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Tencent Ads Marketing API for {@code POST /v3.0/user_actions/add}, checking each request the way Tencent
 * documents it: the access token (11002 when it is not the account's), {@code timestamp} within 300 s, {@code nonce}
 * of at most 32 characters never seen before, JSON {@code account_id} and {@code user_action_set_id} of the account,
 * 1 to 50 actions and at most 50 KB, each action with {@code action_time}, a known {@code action_type},
 * {@code user_id.wechat_openid} and {@code wechat_app_id} (required for a mini program's set), an
 * {@code outer_action_id} of letters, digits and '_' and a {@code trace.click_id} of at most 64 bytes. A request that
 * breaks one of the rules without a documented code of its own is recorded as a problem and answered code 10400 (a
 * sandbox code). A valid request is answered {@code {"code":0}}, or with the code scripted for one of its users.
 */
public final class TencentAdsSandbox implements AutoCloseable {

    public static final String PATH = "/v3.0/user_actions/add";
    private static final Set<String> ACTION_TYPES = Set.of("COMPLETE_ORDER", "PURCHASE", "REGISTER", "ADD_TO_CART",
            "VIEW_CONTENT", "RESERVATION", "ACTIVATE_APP", "CUSTOM");
    private static final Pattern OUTER_ID = Pattern.compile("[A-Za-z0-9_]{1,255}");

    /** One request as it arrived, and the code it was answered with. */
    public record Request(long timestamp, String nonce, JsonNode body, int code) {
        public List<JsonNode> actions() {
            return body == null ? List.of() : List.copyOf(iterate(body.path("actions")));
        }
    }

    private static List<JsonNode> iterate(JsonNode array) {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }

    private final ObjectMapper json = new ObjectMapper();
    private final long accountId;
    private final long userActionSetId;
    private final String accessToken = TestSecrets.alphanumeric(40);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> codeForUser = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpServer server;

    private TencentAdsSandbox(int port, long accountId, long userActionSetId) throws IOException {
        this.accountId = accountId;
        this.userActionSetId = userActionSetId;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public static TencentAdsSandbox start(long accountId, long userActionSetId) throws IOException {
        return start(0, accountId, userActionSetId);
    }

    /** @param port 0 for any free port */
    public static TencentAdsSandbox start(int port, long accountId, long userActionSetId) throws IOException {
        return new TencentAdsSandbox(port, accountId, userActionSetId);
    }

    /** The API's base URL, as a destination's URL: {@code http://127.0.0.1:<port>/v3.0}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v3.0";
    }

    public String accessToken() {
        return accessToken;
    }

    /** Every request carrying an action of this user is answered with this code. */
    public void refuseUser(String openId, int code) {
        codeForUser.put(openId, code);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The actions of every request answered code 0. */
    public List<JsonNode> accepted() {
        return requests.stream().filter(r -> r.code() == 0).flatMap(r -> r.actions().stream()).toList();
    }

    /** What broke Tencent's rules, one line each: empty when the hub spoke the API right. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] raw = in.readAllBytes();
            if (!exchange.getRequestURI().getRawPath().equals(PATH) || !exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Map<String, String> query = SandboxQueries.parse(exchange.getRequestURI().getRawQuery());
            long timestamp = parseLong(query.get("timestamp"));
            String nonce = query.getOrDefault("nonce", "");
            JsonNode body = parse(raw);
            int code = check(query, timestamp, nonce, body, raw.length);
            requests.add(new Request(timestamp, nonce, body, code));
            ObjectNode answer = json.createObjectNode().put("code", code)
                    .put("message", code == 0 ? "" : "sandbox code " + code).put("message_cn", code == 0 ? "" : "沙箱");
            byte[] bytes = answer.toString().getBytes(UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private int check(Map<String, String> query, long timestamp, String nonce, JsonNode body, int size) {
        if (!accessToken.equals(query.get("access_token"))) {
            return 11002;
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - timestamp) > 300) {
            return problem("timestamp " + timestamp + " is not within 300 s");
        }
        if (nonce.isEmpty() || nonce.length() > 32 || !nonces.add(nonce)) {
            return problem("nonce '" + nonce + "' is empty, longer than 32 characters or used before");
        }
        if (body == null || body.path("account_id").asLong() != accountId
                || body.path("user_action_set_id").asLong() != userActionSetId) {
            return problem("the body is not JSON with this account_id and user_action_set_id");
        }
        List<JsonNode> actions = iterate(body.path("actions"));
        if (actions.isEmpty() || actions.size() > 50 || size > 50 * 1024) {
            return problem(actions.size() + " actions in " + size + " bytes: 1 to 50 actions, at most 50 KB");
        }
        for (JsonNode a : actions) {
            String problem = !a.path("action_time").canConvertToLong() ? "no action_time"
                    : !ACTION_TYPES.contains(a.path("action_type").asText()) ? "unknown action_type"
                    : a.at("/user_id/wechat_openid").asText().isEmpty() || a.at("/user_id/wechat_app_id").asText().isEmpty()
                            ? "no wechat_openid or wechat_app_id"
                    : !OUTER_ID.matcher(a.path("outer_action_id").asText()).matches() ? "bad outer_action_id"
                    : a.at("/trace/click_id").asText().getBytes(UTF_8).length > 64 ? "click_id over 64 bytes" : null;
            if (problem != null) {
                return problem(problem + " in " + a);
            }
        }
        return actions.stream().map(a -> codeForUser.get(a.at("/user_id/wechat_openid").asText()))
                .filter(c -> c != null).findFirst().orElse(0);
    }

    private int problem(String what) {
        problems.add(what);
        return 10400;
    }

    private JsonNode parse(byte[] raw) {
        try {
            JsonNode node = json.readTree(raw);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
