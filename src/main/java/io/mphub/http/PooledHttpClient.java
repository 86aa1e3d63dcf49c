package io.mphub.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * The hub's HTTP client towards third parties: the JDK's {@link HttpClient} API, which every kind builds its requests
 * with, on Apache HttpClient 5's classic client. A request is sent and its answer read on the calling thread (a
 * delivery lane's own), over a pool of keep-alive connections, as many as the destination has events in flight. The
 * JDK's own client hands every exchange to its selector thread and back, which cost about half the hub's CPU per
 * event at saturation (docs/benchmark.md).
 * <p>
 * What it sends is what the request says, and no more: no cookies, no redirects followed (a 3xx is the kind's to
 * judge), no retries of its own, no compression asked for; its {@code User-Agent} is {@code mphub}. A timeout is told
 * as the JDK's ({@link HttpTimeoutException}, {@link HttpConnectTimeoutException}), so answers are classified alike.
 */
public final class PooledHttpClient extends HttpClient implements AutoCloseable {

    private final CloseableHttpClient client;
    private final Duration connectTimeout;
    private final SSLContext tls;

    /**
     * @param connections the most connections to one host (the requests sent at once)
     */
    public PooledHttpClient(Duration connectTimeout, int connections) {
        this(connectTimeout, connections, defaultContext());
    }

    /** @param tls the TLS context of its https connections (one with a client key, for mutual TLS) */
    public PooledHttpClient(Duration connectTimeout, int connections, SSLContext tls) {
        this.connectTimeout = connectTimeout;
        this.tls = tls;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections).setMaxConnPerRoute(connections)
                        // The JVM's default TLS context: the JDK's CAs, and any the operator added (ExtraTrust).
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                // A pooled connection idle this long is checked before it is used again.
                                .setValidateAfterInactivity(Timeout.ofSeconds(2)).build())
                        .build())
                .evictIdleConnections(Timeout.ofMinutes(1))
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .disableContentCompression().disableAuthCaching().setUserAgent("mphub")
                .build();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpUriRequestBase out = new HttpUriRequestBase(request.method(), request.uri());
        request.headers().map().forEach((name, values) -> values.forEach(v -> out.addHeader(name, v)));
        byte[] body = body(request);
        if (body != null) {
            out.setEntity(new ByteArrayEntity(body, null));
        }
        Timeout timeout = request.timeout().map(Timeout::of).orElse(null);
        if (timeout != null) {
            out.setConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout)
                    .build());
        }
        try {
            return client.execute(out, response -> answer(request, response, handler));
        } catch (ConnectTimeoutException e) {
            throw new HttpConnectTimeoutException("connect timed out");
        } catch (SocketTimeoutException e) {
            throw new HttpTimeoutException("request timed out");
        } catch (InterruptedIOException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            throw new HttpTimeoutException("request timed out");
        }
    }

    /**
     * A request body of bytes, which this client sends as they are: the JDK's {@code BodyPublishers.ofByteArray}
     * copies them in pieces of 16 KiB, which this client must put together again (a batch of 500 events was copied
     * three times over, a quarter of what the batch consumer allocated). Any {@link HttpClient} can send it: it
     * publishes the bytes as one read-only buffer. The caller leaves the array alone once it is given.
     */
    public static HttpRequest.BodyPublisher ofBytes(byte[] bytes) {
        return new Bytes(bytes);
    }

    private record Bytes(byte[] bytes) implements HttpRequest.BodyPublisher {

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                /** Once the bytes are published, or the subscriber cancelled (from any thread). */
                private final AtomicBoolean published = new AtomicBoolean();
                private volatile boolean cancelled;

                @Override
                public void request(long n) {
                    if (cancelled || !published.compareAndSet(false, true)) {
                        return;
                    }
                    if (n <= 0) {
                        subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                        return;
                    }
                    subscriber.onNext(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
                    if (!cancelled) {
                        subscriber.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    cancelled = true;
                }
            });
        }
    }

    /** The request's body, from its publisher, or null when it has none. */
    private static byte[] body(HttpRequest request) throws IOException {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return null;
        }
        if (publisher.get() instanceof Bytes given) {
            return given.bytes();
        }
        CompletableFuture<byte[]> collected = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<>() {
            private final List<ByteBuffer> parts = new ArrayList<>();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                parts.add(item);
            }

            @Override
            public void onError(Throwable failure) {
                collected.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
                ByteBuffer all = ByteBuffer.allocate(size);
                parts.forEach(all::put);
                collected.complete(all.array());
            }
        });
        try {
            // The JDK's publishers of bytes and strings publish at once, on this thread.
            return collected.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the request body could not be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted reading the request body");
        }
    }

    private static <T> HttpResponse<T> answer(HttpRequest request, ClassicHttpResponse response,
            HttpResponse.BodyHandler<T> handler) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header h : response.getHeaders()) {
            headers.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
        }
        HttpHeaders httpHeaders = HttpHeaders.of(headers, (k, v) -> true);
        int status = response.getCode();
        HttpEntity entity = response.getEntity();
        byte[] bytes = entity == null ? new byte[0] : EntityUtils.toByteArray(entity);
        HttpResponse.BodySubscriber<T> subscriber = handler.apply(new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpHeaders headers() {
                return httpHeaders;
            }

            @Override
            public Version version() {
                return Version.HTTP_1_1;
            }
        });
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        if (bytes.length > 0) {
            subscriber.onNext(List.of(ByteBuffer.wrap(bytes)));
        }
        subscriber.onComplete();
        T body;
        try {
            body = subscriber.getBody().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the answer could not be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted reading the answer");
        }
        return new Answer<>(status, request, httpHeaders, body);
    }

    /** An answer, read whole. */
    private record Answer<T>(int statusCode, HttpRequest request, HttpHeaders headers, T body)
            implements HttpResponse<T> {

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        throw new UnsupportedOperationException("the pooled client sends on the calling thread: use send");
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return sendAsync(request, handler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.of(connectTimeout);
    }

    @Override
    public Redirect followRedirects() {
        return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
        return tls;
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SSLParameters sslParameters() {
        return sslContext().getDefaultSSLParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return Optional.empty();
    }

    @Override
    public Version version() {
        return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // Closing the pool's sockets: nothing is waiting on them.
        }
    }
}
