package chain;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.utils.Numeric;
import java.util.stream.Collectors;
import platform.DomainException;

/**
 * The chain module's facade. Modules ask for on-chain effects with {@link #request} inside their
 * own transaction (the effect is stored in the outbox in that transaction and relayed after it
 * commits), follow them with {@link #effect}, and read the NFTs as the chain's events describe them
 * with {@link #token}.
 *
 * <h2>When an effect fails</h2>
 * An effect ends {@link EffectStatus.Status#CONFIRMED CONFIRMED} or
 * {@link EffectStatus.Status#FAILED FAILED}. FAILED is final and means the effect did not happen and
 * never will: its transaction was reverted by the chain, or the node refused it for good (for
 * example insufficient funds for gas, intrinsic gas too low, an invalid transaction), in which case
 * the relay fills its nonce with a no-op so that its signed bytes can never be mined and later
 * effects are not held up. {@link EffectStatus#lastError()} says why, in the node's words.
 * Asking again under the same key answers the same FAILED status (keys are idempotent). To try
 * again, ask under a <b>new</b> key, with {@link #retry} (the failed effect's payload under a new
 * key) or {@link #request} (e.g. {@code "mint-gpu-<id>-retry-<n>"}); each key is made at most once.
 */
@ApplicationScoped
public class Chain {

    /** The most rows a list of listings or sales answers. */
    public static final int MAX_ROWS = 500;

    private final ChainClient client;
    private final ContractRegistry contracts;
    private final ChainStatus status;
    private final ChainConfig config;
    private final Clock clock;
    private final EntityManager em;
    private final TransferHistory history;
    private final SlotMirror slots;

    Chain(ChainClient client, ContractRegistry contracts, ChainStatus status, ChainConfig config, Clock clock, EntityManager em,
          TransferHistory history, SlotMirror slots) {
        this.history = history;
        this.slots = slots;
        this.client = client;
        this.contracts = contracts;
        this.status = status;
        this.config = config;
        this.clock = clock;
        this.em = em;
    }

    /**
     * Asks for {@code effect}, identified by {@code key}: asking again with the same key changes
     * nothing and answers the first request's status (so a retried request never mints twice).
     * Must be called inside the caller's transaction: the effect exists if and only if it commits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EffectStatus request(String key, ChainEffect effect) {
        if (key == null || key.isBlank() || key.length() > 200) {
            throw DomainException.invalid("An effect needs a key of 1 to 200 characters that identifies it");
        }
        if (effect instanceof ChainEffect.WalletCall) {
            throw new IllegalArgumentException("A managed wallet's call is signed by that wallet: ask WalletActs, not the platform signer");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (insert(key, effect, now, null, null, null)) { // what was just written: no need to read it back (an order's mint, on the market's hot path)
            return new EffectStatus(key, Effects.kind(effect), effect.contract(), EffectStatus.Status.PENDING, null, null, null, now, null);
        }
        OutboxEntity row = OutboxEntity.<OutboxEntity>find("effectKey", key).singleResult();
        if (!Effects.read(row.payload).equals(effect)) {
            throw DomainException.conflict("The effect key " + key + " was already used for a different effect");
        }
        return row.view();
    }

    /**
     * Writes {@code effect} to the outbox as PENDING under {@code key}, unless the key is taken;
     * whether it was written. {@code sender}, {@code act} and {@code description} name the managed
     * wallet that signs it and what its account asked for ({@link WalletActs}); null for the
     * platform signer's effects.
     */
    boolean insert(String key, ChainEffect effect, Instant now, String sender, String act, String description) {
        return em.createNativeQuery("""
                        insert into chain_outbox (effect_key, kind, contract, payload, status, created_at, sender, act, description)
                        values (?1, ?2, ?3, cast(?4 as jsonb), 'PENDING', ?5, ?6, ?7, ?8) on conflict (effect_key) do nothing""")
                .setParameter(1, key).setParameter(2, Effects.kind(effect))
                .setParameter(3, effect.contract() == null ? null : effect.contract().name())
                .setParameter(4, Effects.write(effect)).setParameter(5, now)
                .setParameter(6, sender).setParameter(7, act).setParameter(8, description)
                .executeUpdate() == 1;
    }

    /**
     * Asks again for the effect that failed under {@code failedKey}, as a new effect under
     * {@code newKey} (idempotent like {@link #request}: a second call with the same new key changes
     * nothing). Refused (409) unless the effect under {@code failedKey} is FAILED.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EffectStatus retry(String failedKey, String newKey) {
        OutboxEntity failed = OutboxEntity.<OutboxEntity>find("effectKey", failedKey).firstResultOptional()
                .orElseThrow(() -> DomainException.notFound("There is no effect " + failedKey));
        if (failed.status != EffectStatus.Status.FAILED) {
            throw DomainException.conflict("The effect " + failedKey + " is " + failed.status + ", not FAILED: it cannot be retried");
        }
        return request(newKey, Effects.read(failed.payload));
    }

    public Optional<EffectStatus> effect(String key) {
        return QuarkusTransaction.joiningExisting().call(
                () -> OutboxEntity.<OutboxEntity>find("effectKey", key).firstResultOptional().map(OutboxEntity::view));
    }

    /** The newest effects first, optionally only those in one status. */
    public List<EffectStatus> recentEffects(Optional<EffectStatus.Status> only, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> (only.isPresent()
                ? OutboxEntity.<OutboxEntity>find("status = ?1 order by id desc", only.get())
                : OutboxEntity.<OutboxEntity>find("order by id desc"))
                .page(0, Math.max(1, Math.min(limit, 500))).list().stream().map(OutboxEntity::view).toList());
    }

    /** An NFT as the chain's confirmed events describe it. */
    public Optional<Token> token(AssetKind kind, BigInteger tokenId) {
        return QuarkusTransaction.joiningExisting().call(
                () -> TokenEntity.<TokenEntity>findByIdOptional(new TokenEntity.Key(kind, tokenId)).map(TokenEntity::view));
    }

    /** The NFTs of one kind that {@code owner} holds now. */
    public List<Token> tokensOf(AssetKind kind, String owner) {
        String address = Addresses.address("owner", owner);
        return QuarkusTransaction.joiningExisting().call(() -> TokenEntity.<TokenEntity>find(
                        "kind = ?1 and owner = ?2 and burned = false order by tokenId", kind, address)
                .list().stream().map(TokenEntity::view).toList());
    }

    /**
     * Who held each of the tokens at {@code at}: the receiver of its last transfer in a block with a
     * time before {@code at}; tokens not minted yet or burned by then are left out. Exact only once
     * {@link #syncedThrough()} has reached {@code at}.
     */
    @SuppressWarnings("unchecked")
    public Map<BigInteger, String> holdersAt(AssetKind kind, Collection<BigInteger> tokenIds, Instant at) {
        Map<BigInteger, String> holders = new HashMap<>();
        if (tokenIds.isEmpty()) {
            return holders;
        }
        String ids = tokenIds.stream().map(BigInteger::toString).collect(Collectors.joining(",", "{", "}"));
        // A join with the ids, not "token_id = any(?)": with a larger work_mem (settlement sets 32 MB)
        // the planner filters a scan with the array instead, comparing each row with every id (a
        // 100,000-id settlement then ran past its minute; the join takes 0.2 s).
        List<Object[]> rows = QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery("""
                        select distinct on (t.token_id) t.token_id, t.to_address
                        from chain_transfer t join unnest(cast(?2 as numeric[])) as wanted(id) on t.token_id = wanted.id
                        where t.kind = ?1 and t.block_time < ?3
                        order by t.token_id, t.block_number desc, t.log_index desc""")
                .setParameter(1, kind.name()).setParameter(2, ids).setParameter(3, Timestamp.from(at))
                .getResultList());
        for (Object[] row : rows) {
            if (!Addresses.ZERO.equals(row[1])) {
                holders.put(integer(row[0]), (String) row[1]);
            }
        }
        return holders;
    }

    public Optional<String> holderAt(AssetKind kind, BigInteger tokenId, Instant at) {
        return Optional.ofNullable(holdersAt(kind, List.of(tokenId), at).get(tokenId));
    }

    /**
     * Every NFT transfer in a block with a time before this instant is known ({@link #holdersAt}):
     * the time of the last block event sync read, or, while that block is the chain's confirmed
     * head, the time now less 15 s (a block mined later cannot carry an earlier time). Empty before
     * the first sync.
     */
    public Optional<Instant> syncedThrough() {
        return QuarkusTransaction.joiningExisting().call(() -> history.syncedThrough(config.id(), config.confirmations()));
    }

    /** A time slot with its terms, holder, user and lineage, as the chain's confirmed events describe it. */
    public Optional<TimeSlot> timeSlot(BigInteger tokenId) {
        return QuarkusTransaction.joiningExisting().call(() -> slots.timeSlot(config.id(), tokenId));
    }

    /** The time slots {@code holder} holds now (not burned), by token id. */
    public List<TimeSlot> timeSlotsOf(String holder) {
        String address = Addresses.address("holder", holder);
        return QuarkusTransaction.joiningExisting().call(() -> slots.slotsOf(config.id(), address));
    }

    /** The time slots lent to {@code user} (ERC-4907's user) that it may use at {@code now}, not burned, by token id. */
    public List<TimeSlot> timeSlotsUsedBy(String user, Instant now) {
        String address = Addresses.address("user", user);
        return QuarkusTransaction.joiningExisting().call(() -> slots.slotsUsedBy(config.id(), address, now));
    }

    /**
     * The open listing of a slot on SlotMarket: empty when it is not listed (never, or the listing
     * was sold, cancelled or replaced); {@link SlotListing#stale()} when its seller no longer holds it.
     */
    public Optional<SlotListing> listing(BigInteger tokenId) {
        return QuarkusTransaction.joiningExisting().call(() -> slots.openListing(config.id(), tokenId));
    }

    /**
     * The listings that can be bought now (not stale), of one pool's slots or all, newest first, at
     * most {@code limit} (1 to {@link #MAX_ROWS}).
     */
    public List<SlotListing> activeListings(Optional<BigInteger> pool, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> slots.activeListings(config.id(), pool, rows(limit)));
    }

    /**
     * SlotMarket's sales of one pool's slots or all (a price history), newest first, at most
     * {@code limit} (1 to {@link #MAX_ROWS}).
     */
    public List<SlotSale> slotSales(Optional<BigInteger> pool, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> slots.sales(config.id(), pool, rows(limit)));
    }

    private static int rows(int limit) {
        return Math.max(1, Math.min(limit, MAX_ROWS));
    }

    /** A claim of epoch rewards as the EpochRewards contract's {@code Claimed} event states it. */
    public record Claim(String account, BigInteger epoch, BigInteger amount, BigInteger cumulativeAmount, String txHash, Instant at) {
    }

    /** The claims {@code account} made, newest first (at most 1,000). */
    @SuppressWarnings("unchecked")
    public List<Claim> claims(String account) {
        String address = Addresses.address("account", account);
        List<Object[]> rows = QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery("""
                        select account, epoch, amount, cumulative, tx_hash, block_time from chain_claim
                        where account = ?1 order by block_number desc, log_index desc limit 1000""")
                .setParameter(1, address).getResultList());
        return rows.stream().map(r -> new Claim((String) r[0], integer(r[1]), integer(r[2]), integer(r[3]), (String) r[4],
                instant(r[5]))).toList();
    }

    static BigInteger integer(Object numeric) {
        return new BigDecimal(numeric.toString()).toBigIntegerExact();
    }

    static Instant instant(Object time) {
        return time instanceof Timestamp t ? t.toInstant() : time instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) time;
    }

    /** A GPU NFT's on-chain metadata as event sync last read it (dates are uint64 seconds, as the chain states them). */
    record GpuMetadata(String model, String serialNumber, BigInteger purchaseDate, BigInteger inServiceDate,
                       String hostingAgreementUrl, String ownershipContractUrl, String certificateHash) {
    }

    Optional<GpuMetadata> gpuMetadata(BigInteger tokenId) {
        return QuarkusTransaction.joiningExisting().call(() -> GpuMetadataEntity.<GpuMetadataEntity>findByIdOptional(tokenId)
                .map(m -> new GpuMetadata(m.model, m.serialNumber, m.purchaseDate, m.inServiceDate, m.hostingAgreementUrl,
                        m.ownershipContractUrl, m.certificateHash)));
    }

    public ChainInfo info() {
        Map<ContractName, String> addresses = new EnumMap<>(ContractName.class); // EnumMap(Map) refuses an empty map
        addresses.putAll(contracts.addresses());
        return new ChainInfo(config.id(), client.embeddedRpcUrl(), addresses, status.isUp(), status.problem(),
                status.head.get(), outbox());
    }

    public OutboxStats outbox() {
        return new OutboxStats(status.pending.get(), status.sent.get(), status.confirmed.get(), status.failed.get(),
                status.relayLagSeconds.get());
    }

    /** Where a person can look at a transaction, address or token; empty without an explorer configured. */
    public Optional<String> explorerTxUrl(String txHash) {
        return config.explorer().txUrl().filter(s -> !s.isBlank()).map(t -> t.replace("{tx}", txHash));
    }

    public Optional<String> explorerAddressUrl(String address) {
        return config.explorer().addressUrl().filter(s -> !s.isBlank()).map(t -> t.replace("{address}", address));
    }

    public Optional<String> explorerTokenUrl(AssetKind kind, BigInteger tokenId) {
        String contract = contracts.addresses().get(kind.contract());
        return config.explorer().tokenUrl().filter(s -> !s.isBlank() && contract != null)
                .map(t -> t.replace("{contract}", contract).replace("{tokenId}", tokenId.toString()));
    }

    /** The ether (wei) {@code address} holds now, as the chain answers; empty while it does not answer. */
    public Optional<BigInteger> etherBalance(String address) {
        String who = Addresses.address("address", address);
        try {
            return Optional.of(ChainClient.send(client.web3j().ethGetBalance(who, DefaultBlockParameterName.LATEST)).getBalance());
        } catch (IOException | RuntimeException down) {
            return Optional.empty();
        }
    }

    /** The BCT base units {@code address} holds now; empty while the chain does not answer or the token is not deployed. */
    public Optional<BigInteger> tokenBalance(String address) {
        String who = Addresses.address("address", address);
        String token = contracts.addresses().get(ContractName.BerkeleyToken);
        if (token == null) {
            return Optional.empty();
        }
        try {
            String data = FunctionEncoder.encode(new Function("balanceOf", List.of(new Address(who)), List.of()));
            String answer = ChainClient.send(client.web3j().ethCall(
                    Transaction.createEthCallTransaction(who, token, data), DefaultBlockParameterName.LATEST)).getValue();
            return Optional.of(Numeric.toBigInt(answer));
        } catch (IOException | RuntimeException down) {
            return Optional.empty();
        }
    }

    /** The address of one of the marketplace's contracts, once deployed. */
    public Optional<String> contractAddress(ContractName name) {
        return Optional.ofNullable(contracts.addresses().get(name)).map(a -> a.toLowerCase(Locale.ROOT));
    }
}
