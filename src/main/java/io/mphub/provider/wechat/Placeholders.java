package io.mphub.provider.wechat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A template text with {@code {name}} placeholders, e.g. {@code pages/order/detail?id={data.orderId}}. Names are
 * an envelope attribute ({@code time}, {@code subject}, …) or a {@code data.} path; everything outside braces is
 * kept as written.
 */
public final class Placeholders {

    private record Part(String text, boolean placeholder) {
    }

    private final List<Part> parts;

    private Placeholders(List<Part> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException for an unclosed '{', a stray '}' or an empty name */
    public static Placeholders parse(String template) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int stray = template.indexOf('}', i);
            if (stray >= 0 && (open < 0 || stray < open)) {
                throw new IllegalArgumentException("'}' without '{' at character " + (stray + 1));
            }
            if (open < 0) {
                parts.add(new Part(template.substring(i), false));
                break;
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("'{' at character " + (open + 1) + " is not closed");
            }
            String name = template.substring(open + 1, close).trim();
            if (name.isEmpty() || name.contains("{")) {
                throw new IllegalArgumentException("'{' at character " + (open + 1) + " names nothing");
            }
            if (open > i) {
                parts.add(new Part(template.substring(i, open), false));
            }
            parts.add(new Part(name, true));
            i = close + 1;
        }
        return new Placeholders(List.copyOf(parts));
    }

    public List<String> names() {
        return parts.stream().filter(Part::placeholder).map(Part::text).toList();
    }

    /**
     * @param values the value of a name, or null when the event has none
     * @throws MissingValueException naming the first placeholder the event has no value for
     */
    public String fill(Function<String, String> values) throws MissingValueException {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (!part.placeholder()) {
                out.append(part.text());
                continue;
            }
            String value = values.apply(part.text());
            if (value == null) {
                throw new MissingValueException(part.text());
            }
            out.append(value);
        }
        return out.toString();
    }

    public static final class MissingValueException extends Exception {
        public MissingValueException(String name) {
            super("the event has no value for {" + name + "}", null, false, false);
        }
    }
}
