package io.mphub.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

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

    /**
     * The client for one base URL: HTTP/1.1 for plain http (a sandbox; the JDK's h2c upgrade is not worth its round
     * trip), HTTP/2 where https offers it.
     */
    public static HttpClient client(URI base, Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout)
                .version("http".equals(base.getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
                .build();
    }
}
