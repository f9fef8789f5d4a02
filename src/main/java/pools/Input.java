package pools;

import platform.DomainException;

/** The checks every use case makes of what a person typed: present, trimmed, within its length. */
final class Input {

    private Input() {
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw DomainException.invalid(field + ": required");
        }
        return value;
    }

    /** The trimmed text, 1 to {@code max} characters. */
    static String text(String field, String value, int max) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.isEmpty() || trimmed.length() > max) {
            throw DomainException.invalid(field + ": 1 to " + max + " characters");
        }
        return trimmed;
    }

    /** A link of at most 500 characters, or "" when none is given. */
    static String url(String field, String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        String trimmed = value.trim();
        if (trimmed.length() > 500 || !(trimmed.startsWith("https://") || trimmed.startsWith("http://") || trimmed.startsWith("ipfs://"))) {
            throw DomainException.invalid(field + ": a link (https://, http:// or ipfs://) of at most 500 characters");
        }
        return trimmed;
    }

    /** The reason given (at most {@link Pools#MAX_REASON} characters), or {@code fallback} when none is. */
    static String reasonOr(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : text("reason", reason, Pools.MAX_REASON);
    }
}
