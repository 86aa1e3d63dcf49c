package io.mphub.provider.wechat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import io.mphub.provider.ChinaTime;

/**
 * WeChat's rules for subscribe-message values, by the key's type prefix ({@code thing1} is a {@code thing}), as
 * WeChat's subscribeMessage.send documentation lists them (订阅消息参数值内容限制说明). A value that breaks its rule
 * makes WeChat answer 47003 for the whole message, so the hub applies the rules first:
 * <ul>
 * <li>{@code thing} (free text, at most 20 characters) is cut to 19 characters and "…"; control characters become
 * spaces. The one rule where a shortened value still says what it should.</li>
 * <li>{@code time} and {@code date}: an RFC 3339 timestamp (the CloudEvent's {@code time}) is written in Beijing
 * time as {@code yyyy-MM-dd HH:mm} (time) or {@code yyyy-MM-dd} (date); other text must already look like one.</li>
 * <li>Every other rule fails the message for good ({@link ValueRuleException}): cutting an order number, a
 * waybill number, a phone number or an amount would send a wrong one.</li>
 * </ul>
 * Unknown prefixes (e.g. {@code enum}) pass unchanged; WeChat checks them.
 */
public final class ValueRules {

    static final int THING_MAX = 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final String CLOCK = "\\d{1,2}:\\d{2}(:\\d{2})?";
    private static final String DAY = "(\\d{4}[-/.年])?\\d{1,2}[-/.月]\\d{1,2}日?|\\d{4}[-/.年]\\d{1,2}月?";
    private static final Pattern TIME_VALUE = range("((" + DAY + ")\\s*)?" + CLOCK);
    private static final Pattern DATE_VALUE = range("(" + DAY + ")(\\s*" + CLOCK + ")?");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern LETTERS = Pattern.compile("[A-Za-z]{1,32}");
    private static final Pattern SYMBOLS = Pattern.compile("[\\p{Punct}\\p{S}]{1,5}");
    private static final Pattern CHARACTER_STRING = Pattern.compile("[\\x21-\\x7E]{1,32}");
    private static final Pattern AMOUNT = Pattern.compile("[\\p{Sc}]?\\d{1,10}(\\.\\d{1,2})?元?");
    private static final Pattern PHONE = Pattern.compile("[0-9+\\-() ]{1,17}");
    private static final Pattern HAN = Pattern.compile("\\p{IsHan}+");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private ValueRules() {
    }

    /** The type prefix of a template key: {@code character_string2} → {@code character_string}. */
    public static String prefix(String key) {
        return key.replaceFirst("\\d+$", "");
    }

    /** The value to send for {@code key}. */
    public static String apply(String key, String value) throws ValueRuleException {
        if (value.isBlank()) {
            throw new ValueRuleException(key, "is empty (WeChat refuses an empty value)");
        }
        String prefix = prefix(key);
        return switch (prefix) {
            case "thing" -> thing(value);
            case "time" -> moment(key, value, TIME, TIME_VALUE, "a time such as 15:01 or 2019-10-01 15:01");
            case "date" -> moment(key, value, DATE, DATE_VALUE, "a date such as 2019-10-01 or 2019年10月1日");
            case "number" -> require(key, value, NUMBER, "digits with an optional decimal part", 32);
            case "letter" -> require(key, value, LETTERS, "at most 32 letters", 32);
            case "symbol" -> require(key, value, SYMBOLS, "at most 5 symbols", 5);
            case "character_string" -> require(key, value, CHARACTER_STRING, "at most 32 letters, digits or symbols", 32);
            case "amount" -> require(key, value, AMOUNT, "a currency sign and at most 10 digits, e.g. ¥19.99", 14);
            case "phone_number" -> require(key, value, PHONE, "at most 17 digits and symbols", 17);
            case "car_number" -> length(key, value, 8, "a licence plate of at most 8 characters");
            case "name" -> name(key, value);
            case "phrase" -> require(key, value, HAN, "at most 5 Chinese characters", 5);
            default -> value;
        };
    }

    private static String thing(String value) {
        String clean = CONTROL.matcher(value).replaceAll(" ").strip();
        if (clean.codePointCount(0, clean.length()) <= THING_MAX) {
            return clean;
        }
        return clean.substring(0, clean.offsetByCodePoints(0, THING_MAX - 1)) + "…";
    }

    private static String moment(String key, String value, DateTimeFormatter format, Pattern accepted, String what)
            throws ValueRuleException {
        try {
            return OffsetDateTime.parse(value).atZoneSameInstant(ChinaTime.ZONE).format(format);
        } catch (DateTimeParseException notRfc3339) {
            return require(key, value, accepted, what, 64);
        }
    }

    private static String name(String key, String value) throws ValueRuleException {
        // WeChat: 10 Chinese characters, or 20 letters or symbols; a mix counts as Chinese.
        boolean chinese = value.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
        return length(key, value, chinese ? 10 : 20, chinese ? "a name of at most 10 Chinese characters"
                : "a name of at most 20 letters");
    }

    private static String require(String key, String value, Pattern pattern, String what, int max)
            throws ValueRuleException {
        if (value.codePointCount(0, value.length()) > max || !pattern.matcher(value).matches()) {
            throw new ValueRuleException(key, "must be " + what + "; the value (" + value.codePointCount(0, value.length())
                    + " characters) is not");
        }
        return value;
    }

    private static String length(String key, String value, int max, String what) throws ValueRuleException {
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw new ValueRuleException(key, "must be " + what + "; the value has " + length + " characters");
        }
        return value;
    }

    private static Pattern range(String one) {
        return Pattern.compile("(" + one + ")(\\s*~\\s*(" + one + "))?");
    }

    /** A value WeChat would refuse; the message names the key and the rule, never the value (it may be personal). */
    public static final class ValueRuleException extends Exception {
        public ValueRuleException(String key, String what) {
            super(key + " " + what, null, false, false);
        }
    }
}
