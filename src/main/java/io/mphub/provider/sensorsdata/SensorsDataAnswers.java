package io.mphub.provider.sensorsdata;

import java.util.Optional;

import io.mphub.config.Settings;
import io.mphub.deliver.BatchOutcome;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.provider.CodedAnswers;

/**
 * What Sensors Data's data-receiving URL answers to a batch, all in one place. It answers by HTTP status alone (the
 * SDK's {@code HttpConsumer} reads nothing else: any status outside 2xx is a failure):
 * <ul>
 * <li>2xx: every record of the batch taken;</li>
 * <li>401, 403: the project or token is refused, so every batch would fail alike: the destination pauses
 * {@link CodedAnswers#ACCOUNT_REFUSED_WAIT}, reason {@code sensorsdata_refused}, nothing dead-lettered; the message
 * names the settings to check (never the token);</li>
 * <li>413: too large: the core splits the batch until the record is alone and dead-letters it, {@code too_large};</li>
 * <li>400 (a record the collector cannot read) and other 4xx: permanent, {@code http_4xx}; the core splits;</li>
 * <li>408, 429, 5xx, no answer: retried, 429 and 503 after their {@code Retry-After} ({@link HttpAnswers}).</li>
 * </ul>
 */
final class SensorsDataAnswers {

    private final HttpAnswers http;
    private final String destination;

    SensorsDataAnswers(HttpAnswers http, String destination) {
        this.http = http;
        this.destination = destination;
    }

    BatchOutcome classify(int status, Optional<String> retryAfter) {
        return new BatchOutcome.All(switch (status) {
            case 401, 403 -> new Outcome.Refused("sensorsdata_refused", "HTTP " + status + ": Sensors Data refused"
                    + " the project or token: check the project of " + setting(SensorsDataProvider.PROJECT) + " (or the"
                    + " url's ?project=) and " + setting(SensorsDataProvider.TOKEN) + " against the project's"
                    + " data-receiving URL (数据接入)", CodedAnswers.ACCOUNT_REFUSED_WAIT);
            default -> http.classify(status, retryAfter);
        });
    }

    private String setting(io.mphub.config.Setting<?> perDestination) {
        String key = perDestination.forName(destination).key();
        return Settings.envName(key) + " (" + key + ")";
    }
}
