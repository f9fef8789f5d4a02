package credits;

import accounts.WalletAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code account} argument of {@code CreditsBurner.burnForCredits} (DESIGN section 10): the
 * wallet's 20-byte address left-padded with zeros to 32 bytes. A bytes32 whose upper 12 bytes are
 * not zero names no wallet; its burn is kept as unclaimable rather than credited to a guess.
 */
public final class BurnAccount {

    private static final Pattern BYTES32 = Pattern.compile("0x[0-9a-fA-F]{64}");
    private static final String PADDING = "0".repeat(24);

    private BurnAccount() {
    }

    /** The account a wallet burns for: 0x, 24 zeros, the 40 hex digits of its address (lowercase). */
    public static String of(WalletAddress wallet) {
        return "0x" + PADDING + wallet.value().substring(2);
    }

    /** The wallet an account names; empty when it is not a left-padded address. */
    public static Optional<WalletAddress> wallet(String account) {
        if (account == null || !BYTES32.matcher(account).matches() || !account.substring(2, 26).equals(PADDING)) {
            return Optional.empty();
        }
        return Optional.of(new WalletAddress("0x" + account.substring(26).toLowerCase(java.util.Locale.ROOT)));
    }
}
