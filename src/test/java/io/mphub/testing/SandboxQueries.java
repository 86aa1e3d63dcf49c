package io.mphub.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How the sandboxes read a request's query, sharing no code with the hub: decoded by name; and, for the map services
 * (Tencent Location Service, AMap), the parameters other than {@code sig} sorted by name as {@code k=v&…} over their
 * decoded values, which both sign with MD5 (written from the services' descriptions).
 */
final class SandboxQueries {

    private SandboxQueries() {
    }

    /** The query's parameters, decoded, by name. */
    static Map<String, String> parse(String rawQuery) {
        Map<String, String> params = new TreeMap<>();
        if (rawQuery == null) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    /**
     * Whether {@code location} is two numbers, {@code a,b}, the first within ±{@code firstMax} and the second within
     * ±{@code secondMax} (a latitude first within 90, or a longitude first within 180).
     */
    static boolean point(String location, double firstMax, double secondMax) {
        String[] parts = location == null ? new String[0] : location.split(",");
        try {
            return parts.length == 2 && Math.abs(Double.parseDouble(parts[0])) <= firstMax
                    && Math.abs(Double.parseDouble(parts[1])) <= secondMax;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Lower-hex MD5 of {@code before} + the sorted parameters but {@code sig} + {@code after}. */
    static String md5OfSorted(String before, Map<String, String> params, String after) {
        String sorted = new TreeMap<>(params).entrySet().stream().filter(e -> !e.getKey().equals("sig"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest((before + sorted + after).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
