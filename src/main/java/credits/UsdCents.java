package credits;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import platform.DomainException;

/**
 * An amount paid by card, in whole US cents, between {@link #MIN_CENTS} and {@link #MAX_CENTS}. Parsed from
 * what a person types ("25", "25.5", "25.00"): the shape is checked before any number is made.
 */
public record UsdCents(long cents) {

    /** 1.00 USD: below this the card fees eat the purchase. */
    public static final long MIN_CENTS = 100;
    /** 10,000.00 USD per checkout. */
    public static final long MAX_CENTS = 1_000_000;
    /** 1 US cent buys 1,000 DC (1 DC = 0.00001 USD, DESIGN section 7). */
    static final long DC_PER_CENT = 1_000;

    private static final Pattern AMOUNT = Pattern.compile("[0-9]{1,5}(\\.[0-9]{1,2})?");

    public UsdCents {
        if (cents < MIN_CENTS || cents > MAX_CENTS) {
            throw DomainException.invalid("usd: an amount from " + format(MIN_CENTS) + " to " + format(MAX_CENTS) + " USD, not " + format(cents));
        }
    }

    /** "25.00" is 2,500 cents; more than 2 decimals, signs, exponents and separators are refused. */
    public static UsdCents parse(String usd) {
        String text = usd == null ? "" : usd.strip();
        if (text.isEmpty()) {
            throw DomainException.invalid("usd: the amount to pay in USD, such as 25.00");
        }
        if (text.length() > 8 || !AMOUNT.matcher(text).matches()) {
            String shown = text.length() <= 24 ? text : text.substring(0, 20) + "…";
            throw DomainException.invalid("usd: '" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "' is not an amount in USD such as 25.00 (digits, and at most 2 after the point)");
        }
        return new UsdCents(new BigDecimal(text).movePointRight(2).longValueExact());
    }

    /** The rule of DESIGN section 7: 1 US cent = 1,000 DC. */
    public DataCredits toDataCredits() {
        return DataCredits.of(Math.multiplyExact(cents, DC_PER_CENT));
    }

    /** Cents that Stripe reports (any amount, also below the purchase minimum) in DC. */
    static DataCredits dataCreditsOf(long cents) {
        return DataCredits.of(Math.multiplyExact(cents, DC_PER_CENT));
    }

    static String format(long cents) {
        return BigDecimal.valueOf(cents).movePointLeft(2).setScale(2).toPlainString();
    }

    @Override
    public String toString() {
        return format(cents);
    }
}
