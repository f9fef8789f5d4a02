package pools;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import platform.DomainException;

/**
 * USD amounts as people type them, and Data Credits as they are stored: 1 DC = 0.00001 USD, so
 * 2.00 USD per GPU-hour is 200,000 DC per GPU-hour (DESIGN section 3). Conversion is exact: an
 * amount with more than 5 decimals is refused rather than rounded. The shape is checked before any
 * number is made, so a million digits cost no more than ten: at most {@value #MAX_INTEGER_DIGITS}
 * digits before the point and {@value #MAX_DECIMALS} after it.
 */
public final class Usd {

    /** Up to 9,999,999.99999 USD (per GPU-hour): far above any price, far below a {@code long} of DC. */
    public static final int MAX_INTEGER_DIGITS = 7;
    /** One Data Credit is 0.00001 USD. */
    public static final int MAX_DECIMALS = 5;
    private static final int MAX_LENGTH = MAX_INTEGER_DIGITS + 1 + MAX_DECIMALS;
    private static final Pattern AMOUNT = Pattern.compile("[0-9]{1," + MAX_INTEGER_DIGITS + "}(\\.[0-9]{0," + MAX_DECIMALS + "})?");
    private static final Pattern MORE_DECIMALS = Pattern.compile("[0-9]{1," + MAX_INTEGER_DIGITS + "}\\.[0-9]{" + (MAX_DECIMALS + 1) + ",}");

    private Usd() {
    }

    /** "2.00" becomes 200,000 DC. */
    public static long toDataCredits(String field, String usd) {
        String text = usd == null ? "" : usd.strip();
        if (text.startsWith("-") && text.length() > 1) {
            throw DomainException.invalid(field + ": a price cannot be below zero");
        }
        if (text.length() <= MAX_LENGTH + 20 && MORE_DECIMALS.matcher(text).matches()) {
            throw DomainException.invalid(field + ": prices go down to 0.00001 USD (one Data Credit), not further");
        }
        if (text.length() > MAX_LENGTH || !AMOUNT.matcher(text).matches()) {
            throw DomainException.invalid(field + ": '" + abbreviate(text) + "' is not an amount in USD such as 2.50 (at most "
                    + MAX_INTEGER_DIGITS + " digits before the point and " + MAX_DECIMALS + " after it)");
        }
        return new BigDecimal(text).movePointRight(MAX_DECIMALS).longValueExact();
    }

    /** 200,000 DC becomes "2.00"; more decimals only where needed. */
    public static String fromDataCredits(long dc) {
        BigDecimal usd = BigDecimal.valueOf(dc).movePointLeft(5).stripTrailingZeros();
        return usd.scale() < 2 ? usd.setScale(2).toPlainString() : usd.toPlainString();
    }

    /** What a refusal repeats of the input: never more than a few dozen characters. */
    public static String abbreviate(String text) {
        return text.length() <= 24 ? text : text.substring(0, 20) + "… (" + String.format("%,d", text.length()) + " characters)";
    }
}
