package chain;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;
import platform.DomainException;

/** Checks of the values effects carry; chain depends on no other module, so addresses are plain strings here. */
final class Addresses {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern BYTES32 = Pattern.compile("0x[0-9a-fA-F]{64}");
    static final BigInteger UINT256_MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    static final String ZERO = "0x0000000000000000000000000000000000000000";

    private Addresses() {
    }

    static String address(String field, String value) {
        if (value == null || !ADDRESS.matcher(value).matches()) {
            throw DomainException.invalid(field + ": '" + value + "' is not an Ethereum address (0x followed by 40 hex digits)");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    static String bytes32(String field, String value) {
        if (value == null || !BYTES32.matcher(value).matches()) {
            throw DomainException.invalid(field + ": '" + value + "' must be 32 bytes in hex (0x followed by 64 hex digits)");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /** An instant a contract stores as uint64 seconds: from 1970 to the end of the year 9999 (see {@link ChainTime}). */
    static java.time.Instant seconds(String field, java.time.Instant value) {
        if (value != null && (value.getEpochSecond() < 0 || value.isAfter(ChainTime.LAST))) {
            throw DomainException.invalid(field + ": " + value + " is not between 1970 and the end of the year 9999");
        }
        return value;
    }

    /** Text a contract stores: at most {@code max} characters, none of them control characters. */
    static String text(String field, String value, int max) {
        if (value != null && (value.length() > max || value.chars().anyMatch(Character::isISOControl))) {
            throw DomainException.invalid(field + ": at most " + max + " characters, without control characters");
        }
        return value;
    }

    static BigInteger uint256(String field, BigInteger value) {
        if (value == null || value.signum() < 0 || value.compareTo(UINT256_MAX) > 0) {
            throw DomainException.invalid(field + ": must be a whole number from 0 to 2^256-1");
        }
        return value;
    }
}
