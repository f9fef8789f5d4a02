package credits;

import accounts.WalletAddress;
import chain.CreditsBought;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Burns to mint: each {@code CreditsBurner.CreditsBought} log that event sync reads is recorded in
 * {@code credits_burn} under its chain coordinates (chain id, transaction hash, log index) and its
 * Data Credits are minted to the wallet its account names, under the ledger key
 * {@code burn:<chain>:<tx>:<log index>}, inside the sync's transaction. A log read again (a
 * restart, a cursor set back) finds its row and changes nothing, so a burn mints exactly once.
 */
@ApplicationScoped
public class Burns {

    private static final Logger LOG = Logger.getLogger(Burns.class);

    private final Ledger ledger;
    private final EntityManager em;
    private final Clock clock;

    Burns(Ledger ledger, EntityManager em, Clock clock) {
        this.ledger = ledger;
        this.em = em;
        this.clock = clock;
    }

    /** In the sync's transaction (a synchronous observer): the posting commits with the sync's cursor. */
    @Transactional(Transactional.TxType.MANDATORY)
    void onCreditsBought(@Observes CreditsBought bought) {
        Optional<WalletAddress> wallet = BurnAccount.wallet(bought.account());
        String problem = wallet.isEmpty()
                ? "The account " + bought.account() + " is not a wallet address left-padded to 32 bytes: nothing was credited"
                : bought.dataCredits().bitLength() > 63 ? "The burn bought " + bought.dataCredits()
                        + " DC, more than an account can hold: nothing was credited" : null;
        int recorded = em.createNativeQuery("""
                        insert into credits_burn (chain_id, tx_hash, log_index, block_number, buyer, account, wallet, token_amount,
                                                  price_e8, dc, status, problem, recorded_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                        on conflict (chain_id, tx_hash, log_index) do nothing""")
                .setParameter(1, bought.chainId()).setParameter(2, bought.txHash()).setParameter(3, bought.logIndex())
                .setParameter(4, bought.block()).setParameter(5, bought.buyer()).setParameter(6, bought.account().toLowerCase(java.util.Locale.ROOT))
                .setParameter(7, problem == null ? wallet.get().value() : null)
                .setParameter(8, new BigDecimal(bought.tokenAmount())).setParameter(9, new BigDecimal(bought.priceE8()))
                .setParameter(10, new BigDecimal(bought.dataCredits())).setParameter(11, problem == null ? "MINTED" : "UNCLAIMABLE")
                .setParameter(12, problem).setParameter(13, Timestamp.from(clock.instant()))
                .executeUpdate();
        if (recorded == 0) {
            return; // read again: recorded (and minted) the first time
        }
        if (problem != null) {
            LOG.warnf("Burn %s:%d by %s of %s base units is unclaimable: %s", bought.txHash(), bought.logIndex(), bought.buyer(),
                    bought.tokenAmount(), problem);
            return;
        }
        String reference = bought.txHash() + ":" + bought.logIndex();
        ledger.mint(key(bought), MintSource.BURN, wallet.get(), DataCredits.of(bought.dataCredits().longValueExact()),
                "Burned " + plain(new BigDecimal(bought.tokenAmount(), 18)) + " BCT at " + plain(new BigDecimal(bought.priceE8(), 8))
                        + " USD per token", reference);
    }

    /** The ledger key of a burn: its chain coordinates. */
    static String key(CreditsBought bought) {
        return "burn:" + bought.chainId() + ":" + bought.txHash() + ":" + bought.logIndex();
    }

    /** The burns credited to {@code wallet}, newest first. */
    @Transactional
    public List<Burn> of(WalletAddress wallet, int limit) {
        return rows("where wallet = ?1", wallet.value(), limit);
    }

    /** The burns whose account names no wallet, newest first (for admins). */
    @Transactional
    public List<Burn> unclaimable(int limit) {
        return rows("where status = ?1", "UNCLAIMABLE", limit);
    }

    @SuppressWarnings("unchecked")
    private List<Burn> rows(String where, String value, int limit) {
        List<Object[]> rows = em.createNativeQuery("""
                        select tx_hash, log_index, block_number, buyer, account, wallet, token_amount, price_e8, dc, status, problem,
                               recorded_at
                        from credits_burn""" + " " + where + " order by block_number desc, log_index desc limit ?2")
                .setParameter(1, value).setParameter(2, Math.max(1, Math.min(limit, 500))).getResultList();
        return rows.stream().map(r -> new Burn((String) r[0], ((Number) r[1]).intValue(), ((Number) r[2]).longValue(), (String) r[3],
                (String) r[4], (String) r[5], integer(r[6]), integer(r[7]), integer(r[8]), (String) r[9], (String) r[10],
                instant(r[11]))).toList();
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    private static BigInteger integer(Object value) {
        return value instanceof BigInteger b ? b : new BigDecimal(value.toString()).toBigIntegerExact();
    }

    private static Instant instant(Object value) {
        return value instanceof Instant i ? i : value instanceof java.time.OffsetDateTime o ? o.toInstant() : ((Timestamp) value).toInstant();
    }
}
