package io.mphub.provider.wechat;

import java.time.Duration;
import java.time.Instant;

/**
 * A WeChat {@code access_token} and when it stops working. Its {@code toString} never shows the value, so a token
 * cannot reach a log line by accident: whoever holds it can call any server API of the mini program.
 *
 * @param expiresAt already conservative: counted from when the request was sent, not from when the answer came
 */
public record AccessToken(String value, Instant expiresAt) {

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** True when the token expires within {@code margin} from {@code now} (or has expired). */
    public boolean expiresWithin(Instant now, Duration margin) {
        return !now.plus(margin).isBefore(expiresAt);
    }

    public boolean sameValue(AccessToken other) {
        return other != null && value.equals(other.value);
    }

    @Override
    public String toString() {
        return "AccessToken[expiresAt=" + expiresAt + "]";
    }
}
