package credits;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;
import platform.DomainException;

/**
 * The token's price as the oracle states it to {@code CreditsBurner}: US dollars per whole token
 * (10^18 base units) with 8 decimals, a whole number {@code priceE8} from 1 (0.00000001 USD) to
 * {@link #MAX_E8} (1,000,000 USD per token). Never floating point.
 */
public record TokenPrice(long priceE8) {

    /** The highest price an admin may set: 1,000,000 USD per token (far above any sane price, far below overflow). */
    public static final long MAX_E8 = 1_000_000L * 100_000_000L;

    /** 10^21: DC = tokens × priceE8 / 10^21 (18 token decimals + 8 price decimals − 5 for 1 DC = 0.00001 USD). */
    static final BigInteger SCALE = BigInteger.TEN.pow(21);

    /** Up to 7 whole digits and 8 decimals, checked before anything is parsed. */
    private static final Pattern USD = Pattern.compile("[0-9]{1,7}(\\.[0-9]{1,8})?");

    public TokenPrice {
        if (priceE8 <= 0 || priceE8 > MAX_E8) {
            throw DomainException.invalid("usdPerToken: a price must be more than 0 and at most 1000000 USD per token");
        }
    }

    /** Reads a price in US dollars per token as people write it: "0.25", "1", "12.5"; at most 8 decimals. */
    public static TokenPrice ofUsd(String text) {
        String given = text == null ? "" : text.trim();
        if (!USD.matcher(given).matches()) {
            throw DomainException.invalid("usdPerToken: give US dollars per token as a decimal string such as \"0.25\","
                    + " with at most 8 decimals and at most 1000000; \"" + abbreviate(given) + "\" is not one");
        }
        BigDecimal usd = new BigDecimal(given);
        if (usd.signum() == 0 || usd.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
            throw DomainException.invalid("usdPerToken: a price must be more than 0 and at most 1000000 USD per token, not " + given);
        }
        return new TokenPrice(usd.movePointRight(8).longValueExact());
    }

    /** US dollars per token, as people read it: "0.25", "1.00", "0.12345678". */
    public String usd() {
        BigDecimal usd = BigDecimal.valueOf(priceE8, 8).stripTrailingZeros();
        return (usd.scale() < 2 ? usd.setScale(2) : usd).toPlainString();
    }

    /**
     * The Data Credits that burning {@code tokens} buys at this price: floor(tokens × priceE8 / 10^21),
     * the contract's own formula ({@code CreditsBurner.quote}). May exceed what a {@link DataCredits} holds.
     */
    public BigInteger dataCreditsFor(TokenAmount tokens) {
        return tokens.value().multiply(BigInteger.valueOf(priceE8)).divide(SCALE);
    }

    /** The fewest base units that buy one DC at this price (the contract refuses a burn that buys none). */
    public TokenAmount smallestBurn() {
        BigInteger[] qr = SCALE.divideAndRemainder(BigInteger.valueOf(priceE8));
        return new TokenAmount(qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE));
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
