package io.mphub.callback;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One provider's calls to the hub (WeChat Pay notifications, Kuaidi100 pushes): verify, publish, answer in the
 * provider's format. Runs on the listener's threads; it answers only once what it publishes is written, so that a
 * provider retries whatever the hub could not take.
 */
@FunctionalInterface
public interface Callback {

    Answer handle(Request request);

    /**
     * A request as received; header names are matched without regard to case.
     *
     * @param rawQuery the URL's query as sent (still percent-encoded), or null: some providers call back the URL
     *                 we gave them, query and all (Kuaidi100's callbackurl)
     */
    record Request(Map<String, List<String>> headers, byte[] body, String rawQuery) {

        public Request(Map<String, List<String>> headers, byte[] body) {
            this(headers, body, null);
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0)).findFirst();
        }
    }

    /**
     * @param outcome counted per callback ({@code accepted}, {@code duplicate}, {@code bad_signature},
     *                {@code malformed}, …) and logged when not accepted
     * @param detail  why, for the log: never a secret, never a signature
     */
    record Answer(int status, String contentType, String body, String outcome, String detail) {
        public static Answer json(int status, String body, String outcome, String detail) {
            return new Answer(status, "application/json; charset=utf-8", body, outcome, detail);
        }
    }
}
