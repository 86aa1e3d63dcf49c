package io.mphub.privacy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * How a personal value is made less precise before a third party gets it: a phone number masked, an IP address cut to
 * its network, a location rounded, an administrative code cut to its city or province. Each is a pure function; a
 * value that is not of the expected form is removed rather than passed on unchanged.
 */
public final class Coarsening {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final String DOTTED_QUAD = "(" + OCTET + "\\.){3}" + OCTET;

    private Coarsening() {
    }

    /**
     * The first three and the last four characters kept, the rest as {@code *}: {@code 13812341234} →
     * {@code 138****1234} (11 characters or more). From 8 to 10 characters, the first two and the last two; under 8,
     * all {@code *}: too short to show any part.
     */
    public static String mask(String value) {
        int n = value.length();
        if (n >= 11) {
            return value.substring(0, 3) + "*".repeat(n - 7) + value.substring(n - 4);
        }
        if (n >= 8) { // a short number: at most half of it shown
            return value.substring(0, 2) + "*".repeat(n - 4) + value.substring(n - 2);
        }
        return "*".repeat(n);
    }

    /** An IPv4 address cut to its /24 ({@code 203.0.113.7} → {@code 203.0.113.0}), an IPv6 one to its /48. */
    public static Optional<String> network(String ip) {
        // A literal only, never a host name lookup: an IPv6 literal (it has a ':'; one that is not valid fails without a
        // lookup) or a dotted quad.
        if (!ip.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*") && !ip.matches(DOTTED_QUAD)) {
            return Optional.empty();
        }
        try {
            byte[] address = InetAddress.getByName(ip).getAddress();
            int keep = address.length == 4 ? 3 : 6;
            Arrays.fill(address, keep, address.length, (byte) 0);
            String text = InetAddress.getByAddress(address).getHostAddress();
            return Optional.of(address.length == 4 ? text : compress(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** {@code 2001:db8:1:0:0:0:0:0} → {@code 2001:db8:1::} (RFC 5952's shortening of the zeros after the /48). */
    private static String compress(String ipv6) {
        String[] groups = ipv6.split(":");
        int last = 2;
        while (last >= 0 && groups[last].equals("0")) {
            last--;
        }
        return String.join(":", Arrays.copyOf(groups, last + 1)) + "::";
    }

    /** A coordinate rounded half-up to {@code decimals} places (2 ≈ 1 km, 1 ≈ 11 km). */
    public static double round(double coordinate, int decimals) {
        return BigDecimal.valueOf(coordinate).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }

    /**
     * A six-digit administrative division code (GB/T 2260) cut to its city ({@code 440305} → {@code 440300}) or its
     * province ({@code 440000}).
     */
    public static Optional<String> division(String adcode, boolean city) {
        if (!adcode.matches("[0-9]{6}")) {
            return Optional.empty();
        }
        return Optional.of(city ? adcode.substring(0, 4) + "00" : adcode.substring(0, 2) + "0000");
    }
}
