package io.mphub.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import io.mphub.http.PooledHttpClient;

/** How the hub addresses a provider's API from the base URL it is configured with. */
public final class Endpoints {

    private Endpoints() {
    }

    /**
     * An API path (with its query, if any) under a base URL, keeping the base's own path (a proxy's prefix) rather
     * than replacing it, whether or not the base ends in '/'.
     */
    public static URI under(URI base, String path) {
        return URI.create(base.toString().replaceFirst("/+$", "") + path);
    }

    /** The most connections of a provider's helper client (tokens, daily reports): a few calls at once. */
    private static final int HELPER_CONNECTIONS = 8;

    /**
     * The client of a destination, or of a provider's helper (its token API, its daily reports): requests sent on the
     * calling thread over pooled keep-alive connections, at most {@code connections} to one host
     * ({@link PooledHttpClient}).
     */
    public static HttpClient client(Duration connectTimeout, int connections) {
        return new PooledHttpClient(connectTimeout, connections);
    }

    /** A destination's client over mutual TLS: {@code tls} carries the client key. */
    public static HttpClient client(Duration connectTimeout, int connections, SSLContext tls) {
        return new PooledHttpClient(connectTimeout, connections, tls);
    }

    /** A provider's helper client: a few connections. */
    public static HttpClient client(Duration connectTimeout) {
        return client(connectTimeout, HELPER_CONNECTIONS);
    }

    /**
     * A client that answers asynchronously (the JDK's), for a call that must not hold its caller past a deadline:
     * HTTP/1.1 for plain http (a sandbox; the JDK's h2c upgrade is not worth its round trip), HTTP/2 where https
     * offers it.
     */
    public static HttpClient asyncClient(URI base, Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout)
                .version("http".equals(base.getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
                .build();
    }
}
