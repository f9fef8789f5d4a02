package accounts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Pattern;
import org.web3j.crypto.Keys;
import platform.DomainException;

/**
 * An Ethereum account address. Kept in lowercase; a mixed-case input must carry a valid EIP-55
 * checksum, since a wrong one means the address was mistyped.
 */
public record WalletAddress(@JsonValue String value) {

    private static final Pattern HEX_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    public WalletAddress {
        if (value == null || !HEX_ADDRESS.matcher(value).matches()) {
            throw DomainException.invalid("'" + value + "' is not an Ethereum address (0x followed by 40 hex digits)");
        }
        String digits = value.substring(2);
        boolean mixedCase = !digits.equals(digits.toLowerCase(Locale.ROOT)) && !digits.equals(digits.toUpperCase(Locale.ROOT));
        if (mixedCase && !Keys.toChecksumAddress(value).equals(value)) {
            throw DomainException.invalid("The address " + value + " has a wrong EIP-55 checksum; check it for typing mistakes");
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static WalletAddress of(String value) {
        return new WalletAddress(value == null ? null : value.trim());
    }

    /** The EIP-55 mixed-case form that wallets show. */
    public String checksummed() {
        return Keys.toChecksumAddress(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
