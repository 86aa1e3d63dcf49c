package io.mphub.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
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
 * A local stand-in for WeChat's server APIs, written from WeChat's documentation and sharing no code with mphub:
 * <ul>
 * <li>{@code POST /cgi-bin/stable_token}: checks grant_type (40002), AppID (40013) and AppSecret (40125). Normal
 * mode hands out the app's current token, and a new one only within the last {@code renewWindow} of it (the old
 * one keeps working until it expires); force_refresh replaces it at once, unless the last force was under 30 s
 * ago (then it does not refresh). Every call is recorded.</li>
 * <li>{@code POST /cgi-bin/message/subscribe/send?access_token=…}: checks the token (41001 missing, 40001 unknown
 * or replaced, 42001 expired), then answers a scripted errcode for the user if the test queued one, then checks the
 * message the way WeChat does (40003 touser, 40037 template of this app, 47003 data keys and values, state and
 * lang) and records it.</li>
 * <li>{@code POST /datacube/<api>?access_token=…} for the six daily data analysis APIs the hub pulls: checks the token
 * as above, the JSON body (47001), {@code begin_date} and {@code end_date} as {@code yyyymmdd} (61500), then the range
 * WeChat serves (61501): one day (begin = end) up to yesterday in Beijing on the sandbox's {@link #clock(Clock)};
 * for the user portrait, 1, 7 or 30 days (begin 0, 6 or 29 days before end). A test can make an API answer an errcode
 * for a while ({@link #datacubeRefuses}). Answers have the shape of the examples in WeChat's documentation, with
 * {@code ref_date} the day asked and figures derived from it. Every call is recorded.</li>
 * </ul>
 * Runnable on its own for trying the hub by hand: {@link #main(String[])}.
 */
public final class WeChatSandbox implements AutoCloseable {

    /** One call of stable_token as it arrived and was answered. */
    public record TokenCall(String appId, boolean force, int errcode, String issued, Instant at) {
    }

    /** One subscribeMessage.send as it arrived: the app its token belongs to, the body, WeChat's answer. */
    public record Send(String appId, String token, JsonNode body, int errcode, Instant at) {
        public String touser() {
            return body == null ? "" : body.path("touser").asText();
        }

        public String value(String key) {
            return body.path("data").path(key).path("value").asText(null);
        }
    }

    /** One datacube call as it arrived and was answered; {@code appId} null when the token was refused. */
    /** One invokeCloudFunction call: the function's input as it arrived, and what WeChat answered. */
    public record Invocation(String appId, String env, String name, JsonNode input, int errcode, Instant at) {
    }

    /** A cloud function of the sandbox: its return value for an input (resp_data, as the function returns it). */
    @FunctionalInterface
    public interface CloudFunction {
        String call(JsonNode input);
    }

    public record DatacubeCall(String appId, String api, String beginDate, String endDate, int errcode, Instant at) {
    }

    /** The datacube APIs the sandbox serves, by name. */
    public static final Set<String> DATACUBE_APIS = Set.of("getweanalysisappiddailysummarytrend",
            "getweanalysisappiddailyvisittrend", "getweanalysisappiddailyretaininfo",
            "getweanalysisappidvisitdistribution", "getweanalysisappidvisitpage", "getweanalysisappiduserportrait");

    /** An issued token and the app it belongs to. */
    public record Token(String appId, String value, Instant issuedAt, Instant expiresAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final Set<String> STATES = Set.of("developer", "trial", "formal");
    private static final Set<String> LANGS = Set.of("zh_CN", "en_US", "zh_HK", "zh_TW");
    private static final Pattern CHARACTER_STRING = Pattern.compile("[\\x21-\\x7E]{1,32}");
    private static final Pattern TIME = Pattern.compile("[0-9年月日:/. ~-]*\\d{1,2}:\\d{2}[0-9:年月日/. ~-]*");

    private final class App {
        volatile String secret;
        final Duration expiresIn;
        final Duration renewWindow;
        volatile Token current;
        volatile Instant lastForce;
        final Map<String, Set<String>> templates = new ConcurrentHashMap<>();
        /** Its cloud environments, each a map of function name to function; none: cloud development is off (85088). */
        final Map<String, Map<String, CloudFunction>> envs = new ConcurrentHashMap<>();

        App(String secret, Duration expiresIn, Duration renewWindow) {
            this.secret = secret;
            this.expiresIn = expiresIn;
            this.renewWindow = renewWindow;
        }
    }

    private final Map<String, App> apps = new ConcurrentHashMap<>();
    /** Tokens WeChat accepts, by value. A replaced (forced, rotated) token is removed at once. */
    private final Map<String, Token> valid = new ConcurrentHashMap<>();
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final List<TokenCall> tokenCalls = new CopyOnWriteArrayList<>();
    private final List<Send> sends = new CopyOnWriteArrayList<>();
    private final List<Token> issued = new CopyOnWriteArrayList<>();
    private final List<DatacubeCall> datacubeCalls = new CopyOnWriteArrayList<>();
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> datacubeRefusals = new ConcurrentHashMap<>();
    private volatile Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final HttpServer server;
    private volatile boolean printSends;

    private WeChatSandbox(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/cgi-bin/stable_token", this::stableToken);
        server.createContext("/cgi-bin/message/subscribe/send", this::send);
        server.createContext("/datacube/", this::datacube);
        server.createContext("/tcb/invokecloudfunction", this::invokeCloudFunction);
        server.createContext("/", exchange -> answer(exchange, 200, "{}"));
        server.setExecutor(threads);
        server.start();
    }

    public static WeChatSandbox start() throws IOException {
        return new WeChatSandbox(0);
    }

    /** @param port 0 for any free port */
    public static WeChatSandbox start(int port) throws IOException {
        return new WeChatSandbox(port);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A new random AppSecret, as the admin console shows one: 32 hex digits. */
    public static String newSecret() {
        return TestSecrets.hex(16);
    }

    public WeChatSandbox app(String appId, String secret) {
        return app(appId, secret, Duration.ofSeconds(7200), Duration.ofMinutes(5));
    }

    /** @param renewWindow WeChat: in the last 5 minutes of a token, normal mode hands out the next one */
    public WeChatSandbox app(String appId, String secret, Duration expiresIn, Duration renewWindow) {
        apps.put(appId, new App(secret, expiresIn, renewWindow));
        return this;
    }

    /** The app's AppSecret changes (an administrator reset it, or a wrong one was being used). */
    public void secret(String appId, String secret) {
        apps.get(appId).secret = secret;
    }

    /** A template the app added in its admin console, with its keys (thing1, time2, …). */
    public WeChatSandbox template(String appId, String templateId, String... keys) {
        apps.get(appId).templates.put(templateId, Set.of(keys));
        return this;
    }

    /** The next sends to this user are answered with these errcodes, one each, before any other check. */
    public void script(String touser, Integer... errcodes) {
        scripts.computeIfAbsent(touser, u -> new ArrayDeque<>()).addAll(List.of(errcodes));
    }

    /** Someone else forced a refresh (another server, the admin console): a new current token, the old one dead. */
    public synchronized void rotate(String appId) {
        App app = apps.get(appId);
        valid.remove(app.current.value());
        issue(appId, app, Instant.now());
    }

    /** The current token is refused from now on, though normal mode still hands it out: only a forced refresh helps. */
    public synchronized void breakCurrent(String appId) {
        valid.remove(apps.get(appId).current.value());
    }

    /** The clock whose day in Beijing decides which days the datacube APIs serve (the hub's, in a test). */
    public WeChatSandbox clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** From now on the datacube API answers this errcode to every app (after the token check); 0: serves again. */
    public void datacubeRefuses(String api, int errcode) {
        if (errcode == 0) {
            datacubeRefusals.remove(api);
        } else {
            datacubeRefusals.put(api, errcode);
        }
    }

    /** A cloud function in an environment of the app (cloud development on for it from then on). */
    public WeChatSandbox cloudFunction(String appId, String env, String name, CloudFunction function) {
        apps.get(appId).envs.computeIfAbsent(env, e -> new ConcurrentHashMap<>()).put(name, function);
        return this;
    }

    public List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    public List<DatacubeCall> datacubeCalls() {
        return List.copyOf(datacubeCalls);
    }

    public List<TokenCall> tokenCalls(String appId) {
        return tokenCalls.stream().filter(c -> c.appId().equals(appId)).toList();
    }

    public List<Send> sends() {
        return List.copyOf(sends);
    }

    public List<Send> sendsTo(String touser) {
        return sends.stream().filter(s -> s.touser().equals(touser)).toList();
    }

    public List<Token> issued(String appId) {
        return issued.stream().filter(t -> t.appId().equals(appId)).toList();
    }

    public List<Token> issued() {
        return List.copyOf(issued);
    }

    private synchronized void stableToken(HttpExchange exchange) throws IOException {
        JsonNode request = readJson(exchange);
        Instant now = Instant.now();
        String appId = request == null ? "" : request.path("appid").asText();
        boolean force = request != null && request.path("force_refresh").asBoolean(false);
        App app = apps.get(appId);
        int errcode;
        String answer;
        if (request == null) {
            errcode = 47001;
            answer = error(47001, "data format error");
        } else if (!"client_credential".equals(request.path("grant_type").asText())) {
            errcode = 40002;
            answer = error(40002, "invalid grant_type");
        } else if (app == null) {
            errcode = 40013;
            answer = error(40013, "invalid appid");
        } else if (!app.secret.equals(request.path("secret").asText())) {
            errcode = 40125;
            answer = error(40125, "invalid appsecret");
        } else {
            errcode = 0;
            Token current = app.current;
            boolean forceAllowed = app.lastForce == null || !now.isBefore(app.lastForce.plusSeconds(30));
            if (current == null || !now.isBefore(current.expiresAt())) {
                current = issue(appId, app, now);
            } else if (force && forceAllowed) {
                app.lastForce = now;
                valid.remove(current.value());
                current = issue(appId, app, now);
            } else if (!force && !now.isBefore(current.expiresAt().minus(app.renewWindow))) {
                current = issue(appId, app, now); // the old token keeps working until it expires
            }
            long expiresIn = Math.max(1, Duration.between(now, current.expiresAt()).toSeconds());
            answer = "{\"access_token\":\"" + current.value() + "\",\"expires_in\":" + expiresIn + "}";
        }
        tokenCalls.add(new TokenCall(appId, force, errcode, errcode == 0 ? app.current.value() : null, now));
        answer(exchange, 200, answer);
    }

    private Token issue(String appId, App app, Instant now) {
        byte[] bytes = new byte[48];
        random.nextBytes(bytes);
        Token token = new Token(appId, "SBX_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                now, now.plus(app.expiresIn));
        app.current = token;
        valid.put(token.value(), token);
        issued.add(token);
        return token;
    }

    private void send(HttpExchange exchange) throws IOException {
        Instant now = Instant.now();
        String token = query(exchange, "access_token");
        JsonNode body = readJson(exchange);
        Token known = token == null ? null : valid.get(token);
        int errcode;
        String errmsg;
        if (token == null) {
            errcode = 41001;
            errmsg = "access_token missing";
        } else if (known == null) {
            errcode = 40001;
            errmsg = "invalid credential, access_token is invalid or not latest";
        } else if (!now.isBefore(known.expiresAt())) {
            errcode = 42001;
            errmsg = "access_token expired";
        } else if (body == null) {
            errcode = 47001;
            errmsg = "data format error";
        } else {
            Integer scripted = next(body.path("touser").asText());
            if (scripted != null) {
                errcode = scripted;
                errmsg = "scripted errcode " + scripted;
            } else {
                errmsg = check(apps.get(known.appId()), body);
                errcode = errmsg == null ? 0 : Integer.parseInt(errmsg.substring(0, errmsg.indexOf(' ')));
                errmsg = errmsg == null ? "ok" : errmsg.substring(errmsg.indexOf(' ') + 1);
            }
        }
        sends.add(new Send(known == null ? null : known.appId(), token, body, errcode, now));
        if (printSends) {
            System.out.println("subscribeMessage.send → errcode " + errcode + " " + errmsg + ": " + body);
        }
        answer(exchange, 200, error(errcode, errmsg + (errcode == 0 ? "" : " rid: 65f1c0de-" + sends.size())));
    }

    private void datacube(HttpExchange exchange) throws IOException {
        Instant now = clock.instant();
        String api = exchange.getRequestURI().getPath().substring("/datacube/".length());
        if (!DATACUBE_APIS.contains(api)) {
            answer(exchange, 404, "not found");
            return;
        }
        String token = query(exchange, "access_token");
        JsonNode body = readJson(exchange);
        Token known = token == null ? null : valid.get(token);
        String begin = body == null ? null : body.path("begin_date").asText(null);
        String end = body == null ? null : body.path("end_date").asText(null);
        String answer;
        int errcode;
        if (token == null) {
            answer = error(errcode = 41001, "access_token missing");
        } else if (known == null) {
            answer = error(errcode = 40001, "invalid credential, access_token is invalid or not latest");
        } else if (!Instant.now().isBefore(known.expiresAt())) {
            answer = error(errcode = 42001, "access_token expired");
        } else if (body == null) {
            answer = error(errcode = 47001, "data format error");
        } else if (datacubeRefusals.containsKey(api)) {
            errcode = datacubeRefusals.get(api);
            answer = error(errcode, "scripted errcode " + errcode);
        } else {
            LocalDate from = date(begin);
            LocalDate to = date(end);
            LocalDate yesterday = now.atZone(BEIJING).toLocalDate().minusDays(1);
            long gap = from == null || to == null ? -1 : to.toEpochDay() - from.toEpochDay();
            boolean portrait = api.equals("getweanalysisappiduserportrait");
            if (from == null || to == null) {
                answer = error(errcode = 61500, "date format error");
            } else if (to.isAfter(yesterday) || (portrait ? gap != 0 && gap != 6 && gap != 29 : gap != 0)) {
                answer = error(errcode = 61501, "date range error");
            } else {
                errcode = 0;
                answer = figures(api, begin, end, to.toEpochDay());
            }
        }
        datacubeCalls.add(new DatacubeCall(known == null ? null : known.appId(), api, begin, end, errcode, now));
        answer(exchange, 200, answer);
    }

    /**
     * {@code POST /tcb/invokecloudfunction?access_token&env&name}, the body the function's input, as WeChat documents
     * it: token errors as for every API; 85088 when the app has no cloud environment at all; a scripted errcode for
     * the input's {@code subject} ({@link #script}); else the function runs and its return value comes back as the
     * string {@code resp_data}. (WeChat's own answer for an unknown env or function is not documented: -1 here.)
     */
    private void invokeCloudFunction(HttpExchange exchange) throws IOException {
        String token = query(exchange, "access_token");
        String env = query(exchange, "env");
        String name = query(exchange, "name");
        JsonNode input = readJson(exchange);
        Token known = token == null ? null : valid.get(token);
        App app = known == null ? null : apps.get(known.appId());
        ObjectNode answer = JSON.createObjectNode();
        Integer scripted;
        int errcode;
        if (token == null) {
            errcode = 41001;
        } else if (known == null) {
            errcode = 40001;
        } else if (!Instant.now().isBefore(known.expiresAt())) {
            errcode = 42001;
        } else if (input == null) {
            errcode = 44002;
        } else if (app.envs.isEmpty()) {
            errcode = 85088;
        } else if ((scripted = next(input.path("subject").asText())) != null) {
            errcode = scripted;
        } else if (env == null || name == null || !app.envs.containsKey(env) || !app.envs.get(env).containsKey(name)) {
            errcode = -1;
        } else {
            errcode = 0;
            answer.put("resp_data", app.envs.get(env).get(name).call(input));
        }
        answer.put("errcode", errcode).put("errmsg", errcode == 0 ? "ok" : "sandbox errcode " + errcode);
        invocations.add(new Invocation(known == null ? null : known.appId(), env, name, input, errcode, clock.instant()));
        answer(exchange, 200, answer.toString());
    }

    private static LocalDate date(String yyyymmdd) {
        if (yyyymmdd == null || !yyyymmdd.matches("\\d{8}")) {
            return null;
        }
        try {
            return LocalDate.parse(yyyymmdd, DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An answer shaped as the example in WeChat's documentation of the API, its figures derived from the day. */
    private static String figures(String api, String begin, String end, long seed) {
        long n = 100 + seed % 97;
        String refDate = begin.equals(end) ? begin : begin + "-" + end;
        return switch (api) {
            case "getweanalysisappiddailysummarytrend" -> "{\"list\":[{\"ref_date\":\"" + begin + "\",\"visit_total\":"
                    + (n * 7) + ",\"share_pv\":" + (n + 3) + ",\"share_uv\":" + n + "}]}";
            case "getweanalysisappiddailyvisittrend" -> "{\"list\":[{\"ref_date\":\"" + begin + "\",\"session_cnt\":"
                    + (n * 3) + ",\"visit_pv\":" + (n * 9) + ",\"visit_uv\":" + (n * 2) + ",\"visit_uv_new\":" + n
                    + ",\"stay_time_uv\":" + (n / 10.0) + ",\"stay_time_session\":" + (n / 30.0)
                    + ",\"visit_depth\":1.9838}]}";
            case "getweanalysisappiddailyretaininfo" -> "{\"ref_date\":\"" + begin + "\",\"visit_uv_new\":[{\"key\":0,"
                    + "\"value\":" + n + "}],\"visit_uv\":[{\"key\":0,\"value\":" + (n * 2) + "}]}";
            case "getweanalysisappidvisitdistribution" -> "{\"ref_date\":\"" + begin + "\",\"list\":[{\"index\":"
                    + "\"access_source_session_cnt\",\"item_list\":[{\"key\":1,\"value\":" + n + "},{\"key\":2,"
                    + "\"value\":" + (n / 2) + "}]},{\"index\":\"access_source_visit_uv\",\"item_list\":[{\"key\":1,"
                    + "\"value\":" + (n / 3) + "}]},{\"index\":\"access_staytime_info\",\"item_list\":[{\"key\":8,"
                    + "\"value\":" + (n / 4) + "}]},{\"index\":\"access_depth_info\",\"item_list\":[{\"key\":2,"
                    + "\"value\":" + (n / 5) + "}]}]}";
            case "getweanalysisappidvisitpage" -> "{\"ref_date\":\"" + begin + "\",\"list\":[{\"page_path\":"
                    + "\"pages/main/main.html\",\"page_visit_pv\":" + (n * 4) + ",\"page_visit_uv\":" + n
                    + ",\"page_staytime_pv\":8.139198,\"entrypage_pv\":" + (n * 2) + ",\"exitpage_pv\":" + n
                    + ",\"page_share_pv\":" + (n / 9) + ",\"page_share_uv\":" + (n / 10) + "}]}";
            default -> "{\"ref_date\":\"" + refDate + "\",\"visit_uv_new\":{\"province\":[{\"id\":31,\"name\":"
                    + "\"广东省\",\"value\":" + n + "}],\"city\":[{\"id\":3102,\"name\":\"广州\",\"value\":" + (n / 2)
                    + "}],\"genders\":[{\"id\":1,\"name\":\"男\",\"value\":" + (n / 3) + "}],\"platforms\":[{\"id\":1,"
                    + "\"name\":\"iPhone\",\"value\":" + (n / 4) + "}],\"devices\":[{\"name\":\"OPPO R9\",\"value\":"
                    + (n / 5) + "}],\"ages\":[{\"id\":1,\"name\":\"17岁以下\",\"value\":" + (n / 6) + "}]},"
                    + "\"visit_uv\":{\"province\":[{\"id\":31,\"name\":\"广东省\",\"value\":" + (n * 5) + "}],"
                    + "\"city\":[],\"genders\":[],\"platforms\":[],\"devices\":[],\"ages\":[]}}";
        };
    }

    private synchronized Integer next(String touser) {
        Deque<Integer> script = scripts.get(touser);
        return script == null ? null : script.poll();
    }

    /** "errcode errmsg" when WeChat would refuse the message, null when it sends it. */
    private static String check(App app, JsonNode body) {
        if (body.path("touser").asText().isBlank()) {
            return "40003 invalid openid";
        }
        Set<String> keys = app.templates.get(body.path("template_id").asText());
        if (keys == null) {
            return "40037 invalid template_id";
        }
        JsonNode data = body.path("data");
        for (String key : keys) {
            String value = data.path(key).path("value").asText("");
            if (value.isEmpty()) {
                return "47003 argument invalid! data." + key + ".value is empty";
            }
            if (!valueFits(key, value)) {
                return "47003 argument invalid! data." + key + ".value invalid";
            }
        }
        var names = data.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!keys.contains(key)) {
                return "47003 argument invalid! data." + key + " not in template";
            }
        }
        if (body.has("miniprogram_state") && !STATES.contains(body.get("miniprogram_state").asText())) {
            return "47003 argument invalid! miniprogram_state invalid";
        }
        if (body.has("lang") && !LANGS.contains(body.get("lang").asText())) {
            return "47003 argument invalid! lang invalid";
        }
        return null;
    }

    private static boolean valueFits(String key, String value) {
        int length = value.codePointCount(0, value.length());
        if (key.startsWith("thing")) {
            return length <= 20;
        }
        if (key.startsWith("character_string")) {
            return CHARACTER_STRING.matcher(value).matches();
        }
        if (key.startsWith("time")) {
            return TIME.matcher(value).matches();
        }
        return true;
    }

    private static JsonNode readJson(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            try {
                JsonNode node = JSON.readTree(bytes);
                return node instanceof ObjectNode ? node : null;
            } catch (IOException e) {
                return null;
            }
        }
    }

    private static String query(HttpExchange exchange, String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String error(int errcode, String errmsg) {
        ObjectNode answer = JSON.createObjectNode().put("errcode", errcode).put("errmsg", errmsg);
        return answer.toString();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /**
     * Runs the sandbox on its own, with one app and two templates, and prints what to set for the hub (see
     * docs/providers/wechat-subscribe-messages.md).
     * The hub refuses the shipped {@code routes/subscribe-messages.yaml} as long as its template ids are placeholders,
     * so this writes a copy with the sandbox's template ids to {@code target/} and names it for the hub.
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        String appId = "wx1234567890abcdef";
        String secret = newSecret();
        String shippedId = "SANDBOX-SHIPPED-TEMPLATE";
        String logisticsId = "SANDBOX-LOGISTICS-TEMPLATE";
        Path templates = Path.of("target", "sandbox-subscribe-messages.yaml").toAbsolutePath();
        Files.createDirectories(templates.getParent());
        Files.writeString(templates, Files.readString(Path.of("routes", "subscribe-messages.yaml"))
                .replace("REPLACE-WITH-YOUR-SHIPPED-TEMPLATE-ID", shippedId)
                .replace("REPLACE-WITH-YOUR-LOGISTICS-TEMPLATE-ID", logisticsId));
        WeChatSandbox sandbox = new WeChatSandbox(port);
        sandbox.app(appId, secret)
                .template(appId, shippedId, "character_string1", "thing2", "character_string3", "time4")
                .template(appId, logisticsId, "character_string1", "thing2", "time3");
        System.out.println("WeChat sandbox on " + sandbox.url() + " with app " + appId + ". For the hub:");
        System.out.println("  MPHUB_DESTINATIONS_NOTIFICATIONS_KIND=wechat-subscribe-message");
        System.out.println("  MPHUB_DESTINATIONS_NOTIFICATIONS_URL=" + sandbox.url());
        System.out.println("  MPHUB_WECHAT_API_URL=" + sandbox.url());
        System.out.println("  MPHUB_WECHAT_APP_IDS=" + appId);
        System.out.println("  MPHUB_WECHAT_APPS_" + appId.toUpperCase() + "_SECRET=" + secret);
        System.out.println("  MPHUB_WECHAT_SUBSCRIBE_MESSAGES=" + templates);
        sandbox.printSends = true;
        Thread.currentThread().join(); // until Ctrl-C
    }
}
