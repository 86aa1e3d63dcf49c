package io.mphub.provider.amap;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.mphub.enrich.GeocodeOutcome;
import io.mphub.enrich.GeocodeResult;
import io.mphub.provider.ChinaTime;
import io.mphub.provider.HttpGeocoder;

/**
 * What an answer of AMap's reverse geocoder ({@code /v3/geocode/regeo}) means. AMap answers HTTP 200 with
 * {@code {status: "1"|"0", info, infocode, regeocode}}; the infocode says how it went (AMap's table of 错误码, the
 * codes past 10015 as client libraries copy it).
 */
public final class AmapAnswers implements HttpGeocoder.Answers {

    private final Clock clock;

    public AmapAnswers(Clock clock) {
        this.clock = clock;
    }

    @Override
    public GeocodeResult read(JsonNode answer) {
        // AMap's infocode is a string of digits: "10000"
        String infocode = answer.path("infocode").asText("");
        if (!infocode.matches("\\d{1,9}")) {
            return GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "the answer has no infocode");
        }
        return classify(Integer.parseInt(infocode), answer.path("info").asText(""), answer.path("regeocode"));
    }

    GeocodeResult classify(int infocode, String info, JsonNode regeocode) {
        String said = "infocode " + infocode + " (" + info + ")";
        Instant now = clock.instant();
        return switch (infocode) {
            case 10000 -> found(regeocode);
            // ACCESS_TOO_FREQUENT: the per-minute limit, lifted the next minute
            case 10004 -> GeocodeResult.overQuota(said + ", the key's per-minute quota",
                    now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES));
            // QPS limits (cloud map, single machine, service, key, account): the next second
            case 10014, 10015, 10019, 10020, 10021 -> GeocodeResult.overQuota(said + ", a per-second quota",
                    Instant.ofEpochSecond(now.getEpochSecond() + 1));
            // daily limits (the key, overseas, the account): until midnight in Beijing
            case 10003, 10029, 10044, 10045 -> GeocodeResult.overQuota(said + ", a daily quota",
                    ChinaTime.nextMidnight(now));
            // IP_QUERY_OVER_LIMIT: lifted only by AMap's support
            case 10010 -> GeocodeResult.overQuota(said + ", the quota of this IP address", null);
            case 10001, 10002, 10005, 10006, 10007, 10008, 10009, 10011, 10012, 10013, 10026, 10041, 40000, 40002, 40003 ->
                    GeocodeResult.failed(GeocodeOutcome.MISCONFIGURED, said + ": " + fix(infocode));
            // the point or the parameters (20011: abroad, no overseas permission; 20012: illegal content)
            case 20000, 20001, 20002, 20011, 20012 -> GeocodeResult.failed(GeocodeOutcome.REJECTED, said);
            // 10016 busy, 10017 resource unavailable, 20003 unknown, 3xxxx engine errors, and codes AMap adds later
            default -> GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, said);
        };
    }

    /** AMap leaves a field it has no value for as {@code []}: a Beijing point has {@code "city": []}, the sea no address. */
    private static GeocodeResult found(JsonNode regeocode) {
        String address = text(regeocode.path("formatted_address"));
        if (address.isEmpty()) {
            return GeocodeResult.notFound("infocode 10000 without an address");
        }
        String adcode = text(regeocode.path("addressComponent").path("adcode"));
        return GeocodeResult.found(address, adcode.isEmpty() ? null : adcode);
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText().trim() : "";
    }

    /** What the operator should do about a code that refuses the hub's key, signature or account. */
    static String fix(int infocode) {
        return switch (infocode) {
            case 10007 -> "the signature does not match: set mphub.amap.private-key (MPHUB_AMAP_PRIVATE_KEY) to the"
                    + " private key (私钥) of the key's digital signature in the AMap console";
            case 10005, 10006 -> "the key does not allow this caller: in the AMap console, add the hub's outbound IP"
                    + " addresses to the key's whitelist, or remove the whitelist and rely on the digital signature";
            case 10002, 10009, 10012, 10041 -> "the key may not call reverse geocoding: use a key whose service"
                    + " platform is Web服务 (web service), with the service enabled, in mphub.amap.key (MPHUB_AMAP_KEY)";
            case 10008 -> "the key expects another security check: use a Web服务 key with the digital signature";
            case 10011 -> "AMap refuses HTTPS here: check mphub.amap.url (MPHUB_AMAP_URL)";
            case 10026, 40000, 40002, 40003 -> "the account is blocked, or its purchased quota or service has run out: see"
                    + " the AMap console";
            default -> "the key is not valid (wrong, expired or deleted): check mphub.amap.key (MPHUB_AMAP_KEY)";
        };
    }
}
