package accounts;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where the sign-in page may send a person afterwards ({@code ?next=}): a path on this site only.
 * Anything that a browser could read as another origin ({@code //evil.example}, {@code /\evil.example},
 * {@code https://evil.example}, the same percent-encoded, control characters) is refused, so the
 * sign-in page cannot be used to send someone to a look-alike site with this site's name on the link.
 */
final class NextPath {

    /** Where a sign-in goes when no {@code next} was asked for. */
    static final String DEFAULT = "/account";
    /** Where it goes when the {@code next} asked for is not a path on this site. */
    static final String REFUSED = "/";
    private static final int MAX_LENGTH = 2000;

    private NextPath() {
    }

    /** The page to go to after signing in. */
    static String after(String next) {
        if (next == null || next.isEmpty()) {
            return DEFAULT;
        }
        return local(next).orElse(REFUSED);
    }

    /** {@code next} itself if it is a same-origin absolute path (with query and fragment), else empty. */
    static Optional<String> local(String next) {
        if (next == null || next.length() > MAX_LENGTH || !isPlainLocal(next)) {
            return Optional.empty();
        }
        String decoded = next;
        for (int round = 0; round < 3 && decoded.indexOf('%') >= 0; round++) {
            try {
                decoded = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            if (!isPlainLocal(decoded)) {
                return Optional.empty();
            }
        }
        try {
            URI uri = new URI(next);
            if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) {
                return Optional.empty();
            }
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        return Optional.of(next);
    }

    /** One leading slash, not two; no backslash (browsers read it as a slash); no control characters or spaces. */
    private static boolean isPlainLocal(String path) {
        if (!path.startsWith("/") || path.startsWith("//")) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' || c <= 0x20 || c == 0x7f || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}
