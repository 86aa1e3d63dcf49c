package io.mphub.provider.tencentmap;

import java.time.Clock;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import io.mphub.enrich.GeocodeOutcome;
import io.mphub.enrich.GeocodeResult;
import io.mphub.provider.ChinaTime;
import io.mphub.provider.HttpGeocoder;

/**
 * What an answer of Tencent Location Service's reverse geocoder ({@code /ws/geocoder/v1}) means. Tencent
 * answers HTTP 200 with {@code {status, message, result}}; the status says how it went.
 */
public final class TencentMapAnswers implements HttpGeocoder.Answers {

    private final Clock clock;

    public TencentMapAnswers(Clock clock) {
        this.clock = clock;
    }

    @Override
    public GeocodeResult read(JsonNode answer) {
        if (!answer.path("status").canConvertToInt()) {
            return GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "the answer has no status");
        }
        return classify(answer.path("status").asInt(), answer.path("message").asText(""), answer.path("result"));
    }

    GeocodeResult classify(int status, String message, JsonNode result) {
        String said = "status " + status + " (" + message + ")";
        return switch (status) {
            case 0 -> found(result);
            // 此key每秒请求量已达到上限: the per-second window ends with the second
            case 120 -> GeocodeResult.overQuota(said + ", the key's per-second quota",
                    Instant.ofEpochSecond(clock.instant().getEpochSecond() + 1));
            // 此key每日调用量已达到上限: until midnight in Beijing
            case 121 -> GeocodeResult.overQuota(said + ", the key's daily quota",
                    ChinaTime.nextMidnight(clock.instant()));
            // ip访问超限: Tencent does not say for how long
            case 122 -> GeocodeResult.overQuota(said + ", the quota of this IP address", null);
            case 110, 111, 112, 113, 123, 190, 199, 301, 311 ->
                    GeocodeResult.failed(GeocodeOutcome.MISCONFIGURED, said + ": " + fix(status));
            // 查询无结果
            case 347 -> GeocodeResult.notFound(said);
            default -> status >= 300 && status < 400
                    // the request's parameters for this point (310 请求参数信息有误, 365/366 out of range, …)
                    ? GeocodeResult.failed(GeocodeOutcome.REJECTED, said)
                    // 500 服务响应失败, and anything Tencent adds later
                    : GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, said);
        };
    }

    private static GeocodeResult found(JsonNode result) {
        String address = result.path("address").asText("");
        if (address.isEmpty()) {
            address = result.path("formatted_addresses").path("recommend").asText("");
        }
        String adcode = result.path("ad_info").path("adcode").asText("");
        if (address.isEmpty()) {
            return GeocodeResult.notFound("status 0 without an address");
        }
        return GeocodeResult.found(address, adcode.isEmpty() ? null : adcode);
    }

    /** What the operator should do about a status that refuses the hub's key or signature. */
    static String fix(int status) {
        return switch (status) {
            case 111 -> "the signature does not match: set mphub.tencentmap.sk (MPHUB_TENCENTMAP_SK) to the key's SK"
                    + " (console: the key's WebServiceAPI settings, 签名校验)";
            case 110, 112 -> "the key does not allow this caller: in the console, set the key's WebServiceAPI to"
                    + " 签名校验 (or whitelist the hub's outbound IP addresses)";
            case 113, 199 -> "the key may not call this API: enable WebServiceAPI (reverse geocoding) for the key in"
                    + " the console";
            case 123 -> "the account is restricted (e.g. no balance): see the Tencent Location Service console";
            default -> "the key is not valid: check mphub.tencentmap.key (MPHUB_TENCENTMAP_KEY)";
        };
    }
}
