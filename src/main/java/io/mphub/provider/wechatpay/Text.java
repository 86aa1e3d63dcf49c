package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Cuts texts to a provider's limits without splitting a character (a surrogate pair, a multi-byte UTF-8 sequence),
 * and makes a provider's codes safe to quote.
 */
final class Text {

    static final int MAX_CODE = 64;

    private Text() {
    }

    /**
     * A result code from a provider's answer as it may be quoted in a message: {@code [0-9A-Za-z_]} only, at most
     * {@link #MAX_CODE} characters. The answer is untrusted text; WeChat Pay's codes themselves pass unchanged
     * ({@code ORDER_CLOSED}), which {@code CodedAnswers.reasonPart} would not keep (it drops the underscore).
     */
    static String code(String raw) {
        String safe = raw.replaceAll("[^0-9A-Za-z_]", "");
        return safe.length() <= MAX_CODE ? safe : safe.substring(0, MAX_CODE);
    }

    /** At most {@code max} Unicode code points (WeChat Pay v3 counts characters, e.g. description string(127)). */
    static String truncateCodePoints(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max));
    }

    /** At most {@code maxBytes} bytes of UTF-8 (WeChat Pay v2 limits fields such as body in bytes). */
    static String truncateUtf8Bytes(String text, int maxBytes) {
        if (text.getBytes(UTF_8).length <= maxBytes) {
            return text;
        }
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = new String(Character.toChars(codePoint)).getBytes(UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }
}
