package io.mphub.provider.wechat;

import java.time.Duration;

/**
 * No usable access token for an app, and why. The failure decides what a delivery makes of it (see
 * {@link WeChatAnswers#tokenFailure}); the message names the app and WeChat's errcode, never a secret or token.
 */
public final class TokenException extends Exception {

    public enum Failure {
        /** WeChat refused the app's credentials or this server (bad AppID or AppSecret, IP not allowed): an operator must act. */
        REJECTED,
        /** The token API's daily quota is spent (errcode 45009). */
        DAILY_QUOTA,
        /** The token API's minute quota is spent (errcode 45011). */
        MINUTE_QUOTA,
        /** WeChat is busy (errcode -1), or could not be reached, or answered something else: worth a retry. */
        UNAVAILABLE,
        /** The token WeChat hands out is refused and a forced refresh is not allowed yet (30 s apart). */
        STILL_INVALID
    }

    private final Failure failure;
    private final String reason;
    private final Duration retryAfter;

    /**
     * @param reason     short code for metrics and dead letters, e.g. {@code token_errcode_40125}
     * @param retryAfter when trying again can help, if known (null: use the backoff)
     */
    public TokenException(Failure failure, String reason, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.failure = failure;
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public Failure failure() {
        return failure;
    }

    public String reason() {
        return reason;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** The same failure, with a new waiting time (a remembered refusal, told again later). */
    TokenException after(Duration remaining) {
        return new TokenException(failure, reason, getMessage(), remaining);
    }
}
