package io.mphub.provider.kuaidi100;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.provider.CodedAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kuaidi100's answer to a subscription means, all in one place. Kuaidi100 answers HTTP 200 with
 * {@code {result, returnCode, message}}:
 * <ul>
 * <li>200 subscribed; 501 already subscribed and still tracked: done either way ({@code Delivered(200)}, the HTTP
 * status), a 501 counted in {@code mphub.kuaidi100.already.subscribed} so that repeats are seen;</li>
 * <li>600 not a valid subscriber (bad key), 601 key expired: every subscription fails alike until the key is
 * fixed, so the destination waits {@link CodedAnswers#ACCOUNT_REFUSED_WAIT} without spending an attempt, reason
 * {@code kuaidi100_key}, and nothing is dead-lettered;</li>
 * <li>700 bad subscription data or callback URL, 701 carrier refused, 702 carrier of the number not recognised:
 * permanent, reason {@code kuaidi100_data};</li>
 * <li>500 server error: retried; other 5xx codes are taken the same way;</li>
 * <li>any other code: permanent, reason {@code kuaidi100_<code>}, so that an unknown answer is seen in the dead
 * letter rather than retried blindly.</li>
 * </ul>
 * A non-2xx HTTP status is classified like a webhook's (5xx, 408, 429 retried); a 2xx whose body is not that JSON
 * is retried, since a repeated subscription is harmless (it answers 501).
 */
final class Kuaidi100Answers {

    static final String ALREADY_SUBSCRIBED = "mphub.kuaidi100.already.subscribed";
    private static final Logger LOG = LoggerFactory.getLogger(Kuaidi100Answers.class);

    private final CodedAnswers answers;
    private final Counter alreadySubscribed;

    /** @param alreadySubscribed counts the 501 answers: a shipped order whose waybill Kuaidi100 already tracked */
    Kuaidi100Answers(ObjectMapper mapper, HttpAnswers http, Counter alreadySubscribed) {
        this.answers = new CodedAnswers(mapper, http, "Kuaidi100", "returnCode");
        this.alreadySubscribed = alreadySubscribed;
    }

    /** @param eventId the event subscribed, for the log */
    Outcome classify(String eventId, int status, Optional<String> retryAfter, byte[] body) {
        return answers.classify(status, retryAfter, body, (code, answer) -> {
            String message = "returnCode " + code + ": " + answer.path("message").asText("");
            return switch (code) {
                case "200" -> new Outcome.Delivered(status);
                case "501" -> {
                    // A repeated event, or a second order under one waybill: the subscription stands, nothing to do.
                    alreadySubscribed.increment();
                    LOG.debug("event {}: waybill already subscribed at Kuaidi100 (501), counted as done", eventId);
                    yield new Outcome.Delivered(status);
                }
                case "600", "601" -> new Outcome.Refused("kuaidi100_key", message + "; Kuaidi100 refused the account's"
                        + " key: set " + Kuaidi100Settings.KEY.envName() + " (" + Kuaidi100Settings.KEY.key()
                        + ") to the key of the Kuaidi100 console", CodedAnswers.ACCOUNT_REFUSED_WAIT);
                case "700", "701", "702" -> new Outcome.Permanent("kuaidi100_data", message);
                default -> code.length() == 3 && code.startsWith("5")
                        ? new Outcome.Retry("kuaidi100_" + code, message, null)
                        : new Outcome.Permanent("kuaidi100_" + CodedAnswers.reasonPart(code), message);
            };
        });
    }
}
