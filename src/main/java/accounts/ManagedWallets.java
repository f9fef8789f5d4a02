package accounts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.web3j.crypto.RawTransaction;

/**
 * The facade of managed wallets (issue 11) for the module that sends their transactions (chain):
 * whether the platform holds an address's key, a signature with that key (never the key itself),
 * the wallet a passkey account linked to withdraw to, and the custody limits of configuration.
 */
@ApplicationScoped
public class ManagedWallets {

    /** The limits on what the platform signs for one managed wallet ({@code bc.custody.*}). */
    public record Limits(int actsPerHour, int withdrawalsPerDay, Duration withdrawalDelay) {
    }

    /** The external wallet a passkey account linked, and when: withdrawals to it wait {@link Limits#withdrawalDelay()} from then. */
    public record LinkedWallet(WalletAddress wallet, Instant linkedAt) {
    }

    private final Custody custody;
    private final AccountsConfig config;

    ManagedWallets(Custody custody, AccountsConfig config) {
        this.custody = custody;
        this.config = config;
    }

    /** Whether {@code address} is a managed wallet: one whose key the platform made and holds. */
    public boolean isManaged(WalletAddress address) {
        return QuarkusTransaction.joiningExisting().call(() -> custody.isManaged(address));
    }

    /** {@code tx} signed for chain {@code chainId} by the managed wallet {@code address}; refused for any other address. */
    public byte[] sign(WalletAddress address, RawTransaction tx, long chainId) {
        return QuarkusTransaction.joiningExisting().call(() -> custody.sign(address, tx, chainId));
    }

    /** The wallet the passkey account {@code account} linked, if any. */
    public Optional<LinkedWallet> linkedWallet(WalletAddress account) {
        return QuarkusTransaction.joiningExisting().call(() -> LinkedWalletEntity.<LinkedWalletEntity>find("account", account.value())
                .firstResultOptional().map(l -> new LinkedWallet(WalletAddress.of(l.wallet), l.linkedAt)));
    }

    public Limits limits() {
        return new Limits(config.custody().actsPerHour(), config.custody().withdrawalsPerDay(), config.custody().withdrawalDelay());
    }
}
