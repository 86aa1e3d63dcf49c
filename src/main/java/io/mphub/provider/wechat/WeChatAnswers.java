package io.mphub.provider.wechat;

import java.util.Set;

import io.mphub.deliver.Outcome;

/**
 * What the answers of WeChat's server APIs mean for a delivery ({@code subscribeMessage.send},
 * {@code invokeCloudFunction}), all in one place. WeChat answers HTTP 200 with an {@code errcode}: 0 done;
 * 40001/40014/42001 the access token is invalid (the kind renews it and calls once more); 45009/45011 the daily/minute
 * quota is spent (wait for the window, no attempt spent); -1 and -1000 busy or a system error (back off); 43101 the user
 * gave no (remaining) consent to a subscribe message (skipped, not a failure of the hub); 85088 cloud development is
 * not enabled for the mini program; anything else will not change on a retry (dead letter {@code errcode_<n>} with
 * WeChat's errmsg).
 */
public final class WeChatAnswers {

    /** invalid credential, invalid access_token, access_token expired */
    static final Set<Integer> INVALID_TOKEN = Set.of(40001, 40014, 42001);

    private final QuotaWindows quotas;

    public WeChatAnswers(QuotaWindows quotas) {
        this.quotas = quotas;
    }

    public static boolean invalidToken(int errcode) {
        return INVALID_TOKEN.contains(errcode);
    }

    /** @param api the API as WeChat names it, for the messages: {@code subscribeMessage.send} */
    public Outcome classify(String api, int errcode, String errmsg) {
        String said = "WeChat errcode " + errcode + (errmsg.isEmpty() ? "" : ": " + errmsg);
        return switch (errcode) {
            case 0 -> new Outcome.Delivered(200);
            case -1, -1000 -> new Outcome.Retry("busy", said, null);
            case 43101 -> new Outcome.Skipped("declined", said);
            case 45009 -> new Outcome.Wait("errcode_45009", "daily quota of " + api + " spent (" + said
                    + "); it resets at midnight Beijing time", quotas.untilDailyReset());
            case 45011 -> new Outcome.Wait("errcode_45011", "minute quota of " + api + " spent (" + said + ")",
                    quotas.untilNextMinute());
            case 85088 -> new Outcome.Permanent("errcode_85088", said + ": cloud development is not enabled for this"
                    + " mini program (open 云开发 in WeChat DevTools, or check the app and env of the cloud-functions file)");
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
