package io.mphub.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/** What both of the hub's listeners do with the JDK server's exchanges. */
final class HttpExchanges {

    static final String JSON = "application/json; charset=utf-8";

    private HttpExchanges() {
    }

    /** The JDK server matches contexts by prefix; only the exact path is served (/callbacks/wechatpayX is not). */
    static HttpHandler exact(HttpHandler handler) {
        return exchange -> {
            if (exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                handler.handle(exchange);
            } else {
                respond(exchange, 404, "text/plain", "not found\n");
            }
        };
    }

    /** The body, or null when it is longer than {@code max} bytes. */
    static byte[] read(InputStream in, int max) throws IOException {
        byte[] body = in.readNBytes(max + 1);
        return body.length > max ? null : body;
    }

    static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
