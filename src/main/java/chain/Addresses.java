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

    static BigInteger uint256(String field, BigInteger value) {
        if (value == null || value.signum() < 0 || value.compareTo(UINT256_MAX) > 0) {
            throw DomainException.invalid(field + ": must be a whole number from 0 to 2^256-1");
        }
        return value;
    }
}
