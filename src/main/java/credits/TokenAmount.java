package credits;

import java.math.BigInteger;
import java.util.regex.Pattern;
import platform.DomainException;

/**
 * An amount of the BCT token in base units (18 decimals): a whole number from 0 to 2^256 - 1, the
 * range of an ERC-20 balance. Never floating point.
 */
public record TokenAmount(BigInteger value) implements Comparable<TokenAmount> {

    /** The largest amount an ERC-20 (uint256) can hold. */
    public static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    /** Declared after {@link #MAX}, which its constructor checks against. */
    public static final TokenAmount ZERO = new TokenAmount(BigInteger.ZERO);

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,78}");

    public TokenAmount {
        if (value == null) {
            throw DomainException.invalid("a token amount is missing");
        }
        if (value.signum() < 0) {
            throw DomainException.invalid("a token amount must not be negative, not " + value);
        }
        if (value.compareTo(MAX) > 0) {
            throw DomainException.invalid("a token amount must fit in 256 bits (at most " + MAX + "), not " + value);
        }
    }

    public static TokenAmount of(long value) {
        return new TokenAmount(BigInteger.valueOf(value));
    }

    /**
     * Reads a decimal string of base units, as the JSON API writes amounts; {@code what} names the
     * field in the message of a refusal.
     */
    public static TokenAmount parse(String text, String what) {
        if (text == null) {
            throw DomainException.invalid(what + " is missing: give it as a decimal string of token base units, e.g. \"1000000000000000000\" for 1 BCT");
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("-") && DIGITS.matcher(trimmed.substring(1)).matches()) {
            throw DomainException.invalid(what + " must not be negative, not " + trimmed);
        }
        if (!DIGITS.matcher(trimmed).matches()) {
            throw DomainException.invalid(what + " must be a whole number of token base units written as a decimal string"
                    + " of at most 78 digits, e.g. \"1000000000000000000\" for 1 BCT; \"" + abbreviate(trimmed) + "\" is not");
        }
        BigInteger value = new BigInteger(trimmed);
        if (value.compareTo(MAX) > 0) {
            throw DomainException.invalid(what + " must fit in 256 bits (at most " + MAX + ")");
        }
        return new TokenAmount(value);
    }

    public TokenAmount plus(TokenAmount other) {
        return new TokenAmount(value.add(other.value));
    }

    public TokenAmount minus(TokenAmount other) {
        return new TokenAmount(value.subtract(other.value));
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    @Override
    public int compareTo(TokenAmount other) {
        return value.compareTo(other.value);
    }

    /** The decimal string of base units, as the JSON API writes it. */
    @Override
    public String toString() {
        return value.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
