package io.mphub.provider.qiyu;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.Destination;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.deliver.RetryPolicy;
import io.mphub.privacy.DataContract;
import io.mphub.provider.ProviderCall;
import io.mphub.sign.QiyuChecksum;
import io.mphub.testing.Events;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** What reaches an outcome's message (and so the logs and a dead letter) when Qiyu cannot be reached. */
class QiyuKindTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_KEY = "qiyu-app-key-7f3a";

    private static QiyuKind kind(URI url) {
        Destination d = new Destination("customer-service", "qiyu", url, 10, Duration.ofSeconds(2),
                new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO), DataContract.WHOLE);
        HttpAnswers http = new HttpAnswers(Clock.systemUTC());
        return new QiyuKind(d, new QiyuChecksum(APP_KEY, "qiyu-app-secret-0123456789", Clock.systemUTC()),
                new SidePanel(JSON, Optional.empty()), new QiyuAnswers(JSON, http), new ProviderCall(http), JSON);
    }

    @Test
    void anUnreachableQiyuGivesARetryWhoseMessageHasNoQueryString() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        byte[] login = Events.structured("q-1", "mp.user.login", "oUser1", Events.login("oUser1")).getBytes(UTF_8);

        Outcome outcome = kind(URI.create("http://127.0.0.1:" + closed)).attempt(HttpClient.newHttpClient(), "q-1", login);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Retry.class, r -> {
            assertThat(r.reason()).isEqualTo("connection");
            assertThat(r.message()).matches("[A-Za-z]+Exception").doesNotContain(APP_KEY, "checksum", "?");
        });
    }
}
