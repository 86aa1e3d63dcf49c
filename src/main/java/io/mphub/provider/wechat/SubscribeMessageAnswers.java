package io.mphub.provider.wechat;

import java.util.Set;

import io.mphub.deliver.Outcome;

/**
 * What WeChat's answers to {@code subscribeMessage.send} mean, all in one place. WeChat answers HTTP 200 with an
 * {@code errcode}: 0 sent; 40001/40014/42001 the access token is invalid (the kind renews it and sends once more);
 * 45009/45011 the daily/minute quota is spent (wait for the window, no attempt spent); -1 busy (back off);
 * 43101 the user gave no (remaining) consent (skipped, not a failure of the hub); anything else will not change
 * on a retry (dead letter {@code errcode_<n>} with WeChat's errmsg).
 */
public final class SubscribeMessageAnswers {

    /** invalid credential, invalid access_token, access_token expired */
    static final Set<Integer> INVALID_TOKEN = Set.of(40001, 40014, 42001);

    private final QuotaWindows quotas;

    public SubscribeMessageAnswers(QuotaWindows quotas) {
        this.quotas = quotas;
    }

    public static boolean invalidToken(int errcode) {
        return INVALID_TOKEN.contains(errcode);
    }

    public Outcome classify(int errcode, String errmsg) {
        String said = "WeChat errcode " + errcode + (errmsg.isEmpty() ? "" : ": " + errmsg);
        return switch (errcode) {
            case 0 -> new Outcome.Delivered(200);
            case -1 -> new Outcome.Retry("busy", said, null);
            case 43101 -> new Outcome.Skipped("declined", said);
            case 45009 -> new Outcome.Wait("errcode_45009", "daily quota of subscribeMessage.send spent (" + said
                    + "); it resets at midnight Beijing time", quotas.untilDailyReset());
            case 45011 -> new Outcome.Wait("errcode_45011", "minute quota of subscribeMessage.send spent (" + said + ")",
                    quotas.untilNextMinute());
            default -> invalidToken(errcode)
                    ? new Outcome.Retry("token_invalid", said + " again with a renewed access token", null)
                    : new Outcome.Permanent("errcode_" + errcode, said);
        };
    }

    /**
     * No token: a refused credential waits (pausing the destination) rather than dead-lettering every message for
     * a setting an operator must fix; a spent token quota waits for its window; anything else is retried.
     */
    public Outcome tokenFailure(TokenException e) {
        return switch (e.failure()) {
            case REJECTED -> e.retryAfter() == null
                    ? new Outcome.Permanent(e.reason(), e.getMessage()) // an app the hub has no settings for
                    : new Outcome.Wait(e.reason(), e.getMessage(), e.retryAfter());
            case DAILY_QUOTA -> new Outcome.Wait(e.reason(), e.getMessage(), quotas.untilDailyReset());
            case MINUTE_QUOTA -> new Outcome.Wait(e.reason(), e.getMessage(), quotas.untilNextMinute());
            case UNAVAILABLE, STILL_INVALID -> new Outcome.Retry(e.reason(), e.getMessage(), e.retryAfter());
        };
    }
}
