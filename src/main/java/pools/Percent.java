package pools;

import java.util.regex.Pattern;
import platform.DomainException;

/**
 * Percentages as people type them ("95", "99.5") and basis points as they are stored (9,500 and
 * 9,950). The shape is checked before any number is made: at most 3 digits before the point and 2
 * after it, between 0 and 100.
 */
public final class Percent {

    private static final Pattern PERCENT = Pattern.compile("([0-9]{1,3})(?:\\.([0-9]{0,2}))?");

    private Percent() {
    }

    /** "99.5" becomes 9,950 basis points. */
    public static int toBps(String field, String percent) {
        String text = percent == null ? "" : percent.strip();
        var match = text.length() > 6 ? null : PERCENT.matcher(text);
        if (match == null || !match.matches()) {
            throw DomainException.invalid(field + ": a percentage such as 95 or 99.5 (at most 2 decimals), not '"
                    + Usd.abbreviate(text) + "'");
        }
        String decimals = match.group(2) == null ? "" : match.group(2);
        int bps = Integer.parseInt(match.group(1)) * 100 + Integer.parseInt((decimals + "00").substring(0, 2));
        if (bps > 10_000) {
            throw DomainException.invalid(field + ": between 0 and 100");
        }
        return bps;
    }
}
