package credits;

import accounts.Caller;
import accounts.WalletAddress;
import chain.Chain;
import chain.ChainConfig;
import chain.ChainEffect;
import chain.EffectStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import platform.DomainException;

/**
 * The token price oracle: an admin states the token's USD price; it is kept with its time and the
 * whole history, and pushed to {@code CreditsBurner.setPrice} through the chain outbox in the same
 * transaction. Quotes use the price the contract uses (the newest confirmed one) and its rule for
 * staleness, so a quote is what a burn mints.
 */
@ApplicationScoped
public class Oracle {

    /** The most prices a history read gives. */
    public static final int HISTORY_LIMIT = 500;
    private static final int SCAN_PAGE = 50;

    /** Who states the embedded chain's sandbox price ({@link #keepSandboxPrice}): an address nobody holds the key of. */
    public static final WalletAddress SANDBOX_ORACLE = WalletAddress.of("0x" + "5a".repeat(20));

    private final Chain chain;
    private final ChainConfig chainConfig;
    private final CreditsConfig config;
    private final Clock clock;

    Oracle(Chain chain, ChainConfig chainConfig, CreditsConfig config, Clock clock) {
        this.chain = chain;
        this.chainConfig = chainConfig;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Sets the price, observed now (whole seconds, as the contract keeps it), and asks the chain for
     * {@code setPrice} in the same transaction. Admins only.
     */
    @Transactional
    public PricePoint setPrice(Caller caller, TokenPrice price) {
        if (!caller.isAdmin()) {
            throw DomainException.forbidden("Only an admin sets the token price");
        }
        return set(price, caller.address());
    }

    /**
     * On the embedded chain, with {@code bc.credits.sandbox-price.enabled}, while no admin has ever set
     * a price: states {@code bc.credits.sandbox-price.usd} as {@link #SANDBOX_ORACLE} when no price was
     * set in the last half of the contract's maximum age, so that the faucet's test tokens always buy
     * DCs. True when it set one; anywhere else it does nothing.
     */
    @Transactional
    public boolean keepSandboxPrice() {
        if (!config.sandboxPrice().enabled() || chain.info().embeddedRpc().isEmpty()
                || PriceEntity.count("setBy <> ?1", SANDBOX_ORACLE.value()) > 0) {
            return false;
        }
        if (PriceEntity.count("observedAt > ?1", clock.instant().minus(maxPriceAge().dividedBy(2))) > 0) {
            return false;
        }
        set(TokenPrice.ofUsd(config.sandboxPrice().usd()), SANDBOX_ORACLE);
        return true;
    }

    private PricePoint set(TokenPrice price, WalletAddress by) {
        Instant now = clock.instant();
        PriceEntity row = new PriceEntity();
        row.priceE8 = price.priceE8();
        row.observedAt = now.truncatedTo(ChronoUnit.SECONDS);
        row.setBy = by.value();
        row.setAt = now;
        row.effectKey = "oracle-price:" + UUID.randomUUID();
        row.persist();
        EffectStatus effect = chain.request(row.effectKey,
                new ChainEffect.SetOraclePrice(BigInteger.valueOf(row.priceE8), row.observedAt));
        return point(row, effect);
    }

    /** The prices set, newest first, each with how far its push to the chain has come. */
    @Transactional
    public List<PricePoint> history(int limit) {
        return PriceEntity.<PriceEntity>find("order by id desc").page(0, Math.max(1, Math.min(limit, HISTORY_LIMIT))).list()
                .stream().map(this::point).toList();
    }

    /** The price the contract burns at now; empty before any price is confirmed on chain. */
    @Transactional
    public Optional<CurrentPrice> current() {
        Optional<PricePoint> pending = Optional.empty();
        Instant now = clock.instant();
        for (int page = 0; ; page++) {
            List<PriceEntity> rows = PriceEntity.<PriceEntity>find("order by id desc").page(page, SCAN_PAGE).list();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            for (PriceEntity row : rows) {
                PricePoint point = point(row);
                if (point.onChain() == EffectStatus.Status.CONFIRMED) {
                    Instant staleAt = point.observedAt().plus(maxPriceAge()).plusSeconds(1);
                    return Optional.of(new CurrentPrice(point, staleAt,
                            CurrentPrice.isStale(point.observedAt(), maxPriceAge(), now), pending));
                }
                if (pending.isEmpty() && point.onChain() != EffectStatus.Status.FAILED) {
                    pending = Optional.of(point);
                }
            }
        }
    }

    /**
     * The price in effect at {@code at} as settlement sees it: the newest price observed at or
     * before {@code at} whose {@code setPrice} is confirmed on chain; empty when there is none.
     */
    @Transactional
    public Optional<TokenPrice> confirmedPriceAt(Instant at) {
        for (int page = 0; ; page++) {
            List<PriceEntity> rows = PriceEntity.<PriceEntity>find("observedAt <= ?1 order by observedAt desc, id desc", at)
                    .page(page, SCAN_PAGE).list();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            for (PriceEntity row : rows) {
                PricePoint point = point(row);
                if (point.onChain() == EffectStatus.Status.CONFIRMED) {
                    return Optional.of(point.price());
                }
            }
        }
    }

    /**
     * What burning {@code tokens} mints now. Refused (409) when no price is on chain or it is stale,
     * since the contract refuses the burn then too.
     */
    public Quote quote(TokenAmount tokens) {
        CurrentPrice current = current().orElseThrow(() -> DomainException.conflict(
                "No token price is on chain yet, so CreditsBurner refuses every burn; an admin sets one at /admin/credits/price"));
        if (current.stale()) {
            throw DomainException.conflict("The token price was observed at " + current.point().observedAt()
                    + ", more than the contract's limit of " + describe(maxPriceAge()) + " ago, so CreditsBurner refuses"
                    + " burns until an admin sets a new price");
        }
        TokenPrice price = current.point().price();
        BigInteger dc = price.dataCreditsFor(tokens);
        if (dc.bitLength() > 63) {
            throw DomainException.invalid("tokens: burning " + tokens + " base units would buy " + dc
                    + " DC, more than an account can hold (" + Long.MAX_VALUE + ")");
        }
        return new Quote(tokens, DataCredits.of(dc.longValueExact()), price, current.point().observedAt(), current.staleAt(),
                price.smallestBurn());
    }

    /** How long the contract accepts a price (set when it was deployed; {@code bc.chain.max-price-age}). */
    public Duration maxPriceAge() {
        return chainConfig.maxPriceAge();
    }

    /** A duration as people read it: "1 h", "30 min", "90 s". */
    public static String describe(Duration age) {
        long s = age.toSeconds();
        return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
    }

    private PricePoint point(PriceEntity row) {
        return point(row, chain.effect(row.effectKey).orElse(null));
    }

    private static PricePoint point(PriceEntity row, EffectStatus effect) {
        return new PricePoint(row.id, new TokenPrice(row.priceE8), row.observedAt, row.setBy,
                effect == null ? EffectStatus.Status.PENDING : effect.status(), effect == null ? null : effect.txHash(),
                effect == null ? null : effect.lastError());
    }
}
