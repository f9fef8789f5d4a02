package pools;

import java.math.BigDecimal;
import platform.DomainException;

/**
 * USD amounts as people type them, and Data Credits as they are stored: 1 DC = 0.00001 USD, so
 * 2.00 USD per GPU-hour is 200,000 DC per GPU-hour (DESIGN section 3). Conversion is exact: an
 * amount with more than 5 decimals is refused rather than rounded.
 */
public final class Usd {

    private Usd() {
    }

    /** "2.00" becomes 200,000 DC. */
    public static long toDataCredits(String field, String usd) {
        BigDecimal amount;
        try {
            amount = new BigDecimal(usd == null ? "" : usd.trim());
        } catch (NumberFormatException e) {
            throw DomainException.invalid(field + ": '" + usd + "' is not an amount in USD such as 2.50");
        }
        if (amount.signum() < 0) {
            throw DomainException.invalid(field + ": a price cannot be below zero");
        }
        try {
            return amount.movePointRight(5).longValueExact();
        } catch (ArithmeticException e) {
            throw DomainException.invalid(field + ": prices go down to 0.00001 USD (one Data Credit), not further");
        }
    }

    /** 200,000 DC becomes "2.00"; more decimals only where needed. */
    public static String fromDataCredits(long dc) {
        BigDecimal usd = BigDecimal.valueOf(dc).movePointLeft(5).stripTrailingZeros();
        return usd.scale() < 2 ? usd.setScale(2).toPlainString() : usd.toPlainString();
    }
}
