package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Cuts texts to a provider's limits without splitting a character (a surrogate pair, a multi-byte UTF-8 sequence). */
final class Text {

    private Text() {
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
