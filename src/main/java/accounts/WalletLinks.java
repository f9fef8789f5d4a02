package accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import platform.DomainException;

/**
 * A passkey account links an external wallet (issue 11): the wallet signs an EIP-4361 message
 * whose statement names the account, so a signature made to sign in, or to link another account,
 * cannot link this one. Once linked the wallet signs in to the passkey account, and withdrawals go
 * to it after {@code bc.custody.withdrawal-delay}. The platform never holds the linked wallet's key,
 * and a wallet account is never turned into a managed one.
 */
@ApplicationScoped
class WalletLinks {

    private final Clock clock;
    private final AccountsConfig config;
    private final SignInOrigin origin;
    private final Accounts accounts;

    WalletLinks(Clock clock, AccountsConfig config, SignInOrigin origin, Accounts accounts) {
        this.clock = clock;
        this.config = config;
        this.origin = origin;
        this.accounts = accounts;
    }

    static String statement(WalletAddress account) {
        return "Link this wallet to the Berkeley Compute account " + account.checksummed() + ".";
    }

    /** The message {@code wallet} signs to link itself to the passkey account of {@code caller}. */
    @Transactional
    SignInChallenge message(Caller caller, WalletAddress wallet) {
        passkeyAccount(caller);
        String nonce = accounts.issueNonce();
        Instant now = clock.instant();
        SiweMessage message = SiweMessage.forOrigin(origin.scheme(), origin.domain(), origin.uri(), wallet,
                statement(caller.address()), config.siwe().chainId(), nonce, now, now.plus(config.siwe().nonceTtl()));
        return new SignInChallenge(message.text(), nonce);
    }

    /** Links the wallet that signed {@code messageText}, replacing a wallet linked before (whose delay then starts again). */
    @Transactional
    ManagedWallets.LinkedWallet link(Caller caller, String messageText, String signature) {
        UserEntity account = passkeyAccount(caller);
        Instant now = clock.instant();
        SiweMessage message = SiweMessage.parse(messageText);
        if (!message.statement().equals(Optional.of(statement(caller.address())))) {
            throw DomainException.invalid("message: a link message states \"" + statement(caller.address())
                    + "\"; ask POST /api/me/linked-wallet/message for one");
        }
        new SignInVerifier(config.siwe(), origin).verify(message, messageText, signature, now);
        if (!NonceEntity.consume(message.nonce(), now)) {
            throw SignInVerifier.refused("the nonce " + message.nonce() + " was not issued here, was already used, or has expired;"
                    + " ask POST /api/me/linked-wallet/message for a new message");
        }
        WalletAddress wallet = message.address();
        if (UserEntity.findById(wallet.value()) != null) {
            throw DomainException.conflict("The wallet " + wallet.checksummed() + " is an account of its own here; link a wallet"
                    + " that has never signed in to this marketplace");
        }
        LinkedWalletEntity other = LinkedWalletEntity.findById(wallet.value());
        if (other != null && !other.account.equals(account.address)) {
            throw DomainException.conflict("The wallet " + wallet.checksummed() + " is linked to another account");
        }
        LinkedWalletEntity.delete("account", account.address);
        LinkedWalletEntity.getEntityManager().flush();
        LinkedWalletEntity link = new LinkedWalletEntity();
        link.wallet = wallet.value();
        link.account = account.address;
        link.linkedAt = now;
        link.persist();
        return new ManagedWallets.LinkedWallet(wallet, now);
    }

    @Transactional
    void unlink(Caller caller) {
        passkeyAccount(caller);
        LinkedWalletEntity.delete("account", caller.address().value());
    }

    /** The passkey account a linked wallet signs in to, if {@code wallet} is linked. */
    static Optional<WalletAddress> accountOf(WalletAddress wallet) {
        return LinkedWalletEntity.<LinkedWalletEntity>findByIdOptional(wallet.value()).map(l -> WalletAddress.of(l.account));
    }

    private static UserEntity passkeyAccount(Caller caller) {
        UserEntity user = UserEntity.findById(caller.address().value());
        if (user == null || user.kind != UserEntity.Kind.PASSKEY) {
            throw DomainException.forbidden("Only a passkey account links a wallet: a wallet account is"
                    + " its wallet already");
        }
        return user;
    }
}
