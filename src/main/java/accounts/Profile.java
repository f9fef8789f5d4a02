package accounts;

import java.time.Instant;
import java.util.Set;

/**
 * An account as its owner sees it: its address and roles, whether it is a passkey account (whose
 * wallet the platform keeps) or a wallet account, its optional e-mail address, and when its
 * recovery code was made (passkey accounts; null when it has none, e.g. after using it).
 */
public record Profile(WalletAddress address, Set<String> roles, boolean passkeyAccount, String email, Instant recoveryCodeMadeAt) {

    public Profile {
        roles = Set.copyOf(roles);
    }
}
