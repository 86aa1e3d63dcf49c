package io.mphub.sign;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Qiyu (NetEase customer service) open API checksum, for our calls and for Qiyu's calls to us.
 *
 * <p>Qiyu: {@code checksum = lower-hex SHA1(appSecret + lower-hex MD5(body) + time)}, time in Unix seconds,
 * valid 5 minutes.
 */
public final class QiyuChecksum {

    // Qiyu: a checksum is valid 5 minutes
    private static final Duration VALIDITY = Duration.ofMinutes(5);

    private final String appKey;
    private final String appSecret;
    private final Clock clock;

    public QiyuChecksum(String appKey, String appSecret, Clock clock) {
        this.appKey = Crypto.requireText(appKey, "appKey");
        this.appSecret = Crypto.requireText(appSecret, "appSecret");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The checksum of a JSON {@code body} sent at {@code time} (Unix seconds). */
    public String checksum(String body, long time) {
        return checksum(body, Long.toString(time));
    }

    /** The query string for a call to {@code /openapi/<api>} with this {@code body}: {@code appKey=…&time=…&checksum=…}. */
    public String query(String body) {
        long time = clock.instant().getEpochSecond();
        return "appKey=" + URLEncoder.encode(appKey, UTF_8) + "&time=" + time + "&checksum=" + checksum(body, time);
    }

    /**
     * Checks a call from Qiyu.
     *
     * @param time     the {@code time} query parameter, Unix seconds
     * @param checksum the {@code checksum} query parameter
     */
    public Verdict verify(String body, String time, String checksum) {
        if (Crypto.isBlank(checksum)) {
            return Verdict.MISSING_SIGNATURE;
        }
        if (body == null || Crypto.isBlank(time)) {
            return Verdict.MALFORMED;
        }
        Instant sent;
        try {
            sent = Instant.ofEpochSecond(Long.parseLong(time));
        } catch (NumberFormatException | DateTimeException e) {
            return Verdict.MALFORMED;
        }
        if (Duration.between(sent, clock.instant()).abs().compareTo(VALIDITY) >= 0) {
            return Verdict.STALE_TIMESTAMP;
        }
        // over the time text as received: the sender hashed those characters
        return Crypto.sameText(checksum(body, time), checksum) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }

    private String checksum(String body, String time) {
        return Crypto.sha1Hex(appSecret + Crypto.md5Hex(body) + time);
    }
}
