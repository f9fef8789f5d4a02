package credits;

import accounts.Caller;
import accounts.WalletAddress;
import chain.Chain;
import chain.ChainEffect;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import platform.DomainException;

/**
 * The embedded chain's faucet, so that a newcomer's browser wallet can burn with no other set-up:
 * once per wallet, a signed-in wallet that holds no ether gets {@code bc.credits.faucet.wei} for
 * gas and {@code bc.credits.faucet.tokens} test BCT, sent by the platform signer through the outbox
 * (keys {@code faucet-ether:<wallet>} and {@code faucet-tokens:<wallet>}, so a grant is made once
 * however often it is asked for). Never on an external chain, where ether and tokens are worth money.
 */
@ApplicationScoped
public class Faucet {

    /** What the faucet would do for a wallet now. */
    public record Offer(boolean available, String reason, BigInteger wei, BigInteger tokens) {
    }

    /** What a grant asked the chain for. */
    public record Grant(WalletAddress wallet, BigInteger wei, BigInteger tokens, Instant grantedAt) {
    }

    private final Chain chain;
    private final CreditsConfig config;
    private final EntityManager em;
    private final Clock clock;

    Faucet(Chain chain, CreditsConfig config, EntityManager em, Clock clock) {
        this.chain = chain;
        this.config = config;
        this.em = em;
        this.clock = clock;
    }

    /** Whether the faucet serves {@code wallet}, and if not why (shown on the page, sent as the refusal). */
    @Transactional
    public Offer offer(WalletAddress wallet) {
        BigInteger wei = config.faucet().wei();
        BigInteger tokens = config.faucet().tokens();
        Optional<Instant> granted = grantedAt(wallet);
        String reason = null;
        if (!config.faucet().enabled()) {
            reason = "The faucet is switched off (bc.credits.faucet.enabled)";
        } else if (chain.info().embeddedRpc().isEmpty()) {
            reason = "The faucet serves only the embedded test chain; on this chain get ether and BCT from an exchange or a wallet";
        } else if (granted.isPresent()) {
            reason = "This wallet had its ether and test tokens from the faucet at " + granted.get() + "; the faucet gives once per wallet";
        } else {
            Optional<BigInteger> balance = chain.etherBalance(wallet.value());
            if (balance.isEmpty()) {
                reason = "The chain does not answer now; try again in a moment";
            } else if (balance.get().signum() > 0) {
                reason = "This wallet holds ether already; the faucet is for wallets with none";
            }
        }
        return new Offer(reason == null, reason, wei, tokens);
    }

    /** Gives the caller's own wallet gas and test tokens, once; refused (409) with the offer's reason otherwise. */
    @Transactional
    public Grant grant(Caller caller) {
        WalletAddress wallet = caller.address();
        Offer offer = offer(wallet);
        if (!offer.available()) {
            throw DomainException.conflict(offer.reason());
        }
        Instant now = clock.instant();
        String etherKey = "faucet-ether:" + wallet.value();
        String tokensKey = offer.tokens().signum() > 0 ? "faucet-tokens:" + wallet.value() : null;
        int inserted = em.createNativeQuery("""
                        insert into credits_faucet (wallet, wei, tokens, ether_key, tokens_key, granted_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6) on conflict (wallet) do nothing""")
                .setParameter(1, wallet.value()).setParameter(2, new BigDecimal(offer.wei())).setParameter(3, new BigDecimal(offer.tokens()))
                .setParameter(4, etherKey).setParameter(5, tokensKey).setParameter(6, Timestamp.from(now))
                .executeUpdate();
        if (inserted == 0) { // a second click while the first was on its way
            throw DomainException.conflict("This wallet had its ether and test tokens from the faucet already; the faucet gives once per wallet");
        }
        chain.request(etherKey, new ChainEffect.SendEther(wallet.value(), offer.wei()));
        if (tokensKey != null) {
            chain.request(tokensKey, new ChainEffect.MintTokens(wallet.value(), offer.tokens()));
        }
        return new Grant(wallet, offer.wei(), offer.tokens(), now);
    }

    @SuppressWarnings("unchecked")
    private Optional<Instant> grantedAt(WalletAddress wallet) {
        List<Object> rows = em.createNativeQuery("select granted_at from credits_faucet where wallet = ?1")
                .setParameter(1, wallet.value()).getResultList();
        return rows.stream().findFirst().map(v -> v instanceof Instant i ? i
                : v instanceof java.time.OffsetDateTime o ? o.toInstant() : ((Timestamp) v).toInstant());
    }
}
