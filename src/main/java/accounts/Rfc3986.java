package accounts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The parts of RFC 3986 (URI syntax) that EIP-4361 names: a message's domain is an
 * {@code authority}, its URI and each resource a {@code URI}, its request id {@code *pchar}.
 * Java's {@link URI} follows the older RFC 2396 and lets some characters through that RFC 3986
 * does not (spaces in a registry authority, non-ASCII letters), so the character sets are checked here.
 */
final class Rfc3986 {

    private static final String UNRESERVED = "A-Za-z0-9\\-._~";
    private static final String SUB_DELIMS = "!$&'()*+,;=";
    private static final String PCT_ENCODED = "%[0-9A-Fa-f]{2}";

    private static final Pattern USERINFO = Pattern.compile("(?:[" + UNRESERVED + SUB_DELIMS + ":]|" + PCT_ENCODED + ")*");
    private static final Pattern REG_NAME = Pattern.compile("(?:[" + UNRESERVED + SUB_DELIMS + "]|" + PCT_ENCODED + ")+");
    private static final Pattern IP_FUTURE = Pattern.compile("v[0-9A-Fa-f]+\\.[" + UNRESERVED + SUB_DELIMS + ":]+");
    private static final Pattern IPV4 = Pattern.compile(
            "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern H16 = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern PORT = Pattern.compile("[0-9]{0,5}");
    private static final Pattern PCHARS = Pattern.compile("(?:[" + UNRESERVED + SUB_DELIMS + ":@]|" + PCT_ENCODED + ")*");
    /** Every character a URI may contain: unreserved, reserved (gen-delims and sub-delims), and '%' of pct-encoded. */
    private static final Pattern URI_CHARS = Pattern.compile("(?:[" + UNRESERVED + SUB_DELIMS + ":/?#\\[\\]@]|" + PCT_ENCODED + ")+");

    private Rfc3986() {
    }

    /** {@code authority = [ userinfo "@" ] host [ ":" port ]}, with a host that is not empty. */
    static boolean isAuthority(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        String rest = value;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            if (!USERINFO.matcher(rest.substring(0, at)).matches()) {
                return false;
            }
            rest = rest.substring(at + 1);
        }
        String host;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = rest.substring(0, close + 1);
            rest = rest.substring(close + 1);
            if (!isIpLiteral(host)) {
                return false;
            }
        } else {
            int colon = rest.indexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            rest = colon < 0 ? "" : rest.substring(colon);
            if (!REG_NAME.matcher(host).matches()) {
                return false; // a reg-name also covers IPv4 addresses
            }
        }
        return rest.isEmpty() || (rest.startsWith(":") && PORT.matcher(rest.substring(1)).matches());
    }

    /** {@code URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]}: absolute, RFC 3986 characters only. */
    static boolean isUri(String value) {
        if (value == null || !URI_CHARS.matcher(value).matches()) {
            return false;
        }
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && (uri.getRawAuthority() == null || isAuthority(uri.getRawAuthority()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** {@code *pchar}: what a request id may contain. */
    static boolean isPchars(String value) {
        return PCHARS.matcher(value).matches();
    }

    /** {@code IP-literal = "[" ( IPv6address / IPvFuture ) "]"}. */
    private static boolean isIpLiteral(String bracketed) {
        String inner = bracketed.substring(1, bracketed.length() - 1);
        return IP_FUTURE.matcher(inner).matches() || isIpv6(inner);
    }

    /** The eight forms of {@code IPv6address} in RFC 3986 section 3.2.2: h16 groups, one "::" at most, an IPv4 tail. */
    static boolean isIpv6(String value) {
        String groups = value;
        int slots = 8;
        if (value.indexOf('.') >= 0) {
            int colon = value.lastIndexOf(':');
            if (colon < 0 || !IPV4.matcher(value.substring(colon + 1)).matches()) {
                return false;
            }
            groups = value.substring(0, colon + 1);
            slots = 6;
            if (!groups.endsWith("::")) {
                groups = groups.substring(0, groups.length() - 1);
            }
        }
        int gap = groups.indexOf("::");
        if (gap < 0) {
            return count(groups) == slots;
        }
        if (groups.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int left = count(groups.substring(0, gap));
        int right = count(groups.substring(gap + 2));
        return left >= 0 && right >= 0 && left + right < slots;
    }

    /** How many h16 groups {@code value} holds ("" holds none); -1 if it is not colon-separated h16 groups. */
    private static int count(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        String[] parts = value.split(":", -1);
        for (String part : parts) {
            if (!H16.matcher(part).matches()) {
                return -1;
            }
        }
        return parts.length;
    }
}
