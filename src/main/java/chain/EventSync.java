package chain;

import chain.contracts.CreditsBurner;
import chain.contracts.GpuNFT;
import chain.contracts.TimeSlotNFT;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Keeps {@code chain_token} equal to what the NFT contracts' events say, whoever caused them (the
 * relay's mints, or a sale on another marketplace). It reads logs only up to the block that has
 * {@code bc.chain.confirmations} confirmations, resumes after the last block it processed (kept in
 * {@code chain_sync}, in the same transaction as the changes), and fires {@link TokenTransferred}
 * after each commit. {@code CreditsBurner}'s {@link CreditsBought} logs are fired inside that
 * transaction, so their observers' postings commit with the cursor; so are the time slots' splits,
 * merges and closes and SlotMarket's listings and sales ({@link SlotMirror}: exactly once per log), and
 * the time slots' transfers between wallets ({@link SlotTransferred}: once per log, as the mirror applies it).
 */
@ApplicationScoped
class EventSync {

    private static final int MAX_RANGE = 5_000;
    private static final String TRANSFER = EventEncoder.encode(GpuNFT.TRANSFER_EVENT);
    private static final String UPDATE_USER = EventEncoder.encode(TimeSlotNFT.UPDATEUSER_EVENT);
    private static final String SLOT_MINTED = EventEncoder.encode(TimeSlotNFT.SLOTMINTED_EVENT);
    private static final String CERTIFICATE_UPDATED = EventEncoder.encode(GpuNFT.CERTIFICATEUPDATED_EVENT);
    private static final String CREDITS_BOUGHT = EventEncoder.encode(CreditsBurner.CREDITSBOUGHT_EVENT);
    private static final int METADATA_BATCH = 200;

    private final ChainClient client;
    private final ContractRegistry contracts;
    private final ChainConfig config;
    private final EntityManager em;
    private final Event<TokenTransferred> transfers;
    private final Event<CreditsBought> creditsBought;
    private final Event<SlotTransferred> slotTransfers;
    private final TransferHistory history;
    private final SlotMirror slots;
    private volatile long lastBlock = -1;

    EventSync(ChainClient client, ContractRegistry contracts, ChainConfig config, EntityManager em, Event<TokenTransferred> transfers,
              Event<CreditsBought> creditsBought, Event<SlotTransferred> slotTransfers, TransferHistory history, SlotMirror slots) {
        this.slotTransfers = slotTransfers;
        this.client = client;
        this.slots = slots;
        this.history = history;
        this.contracts = contracts;
        this.config = config;
        this.em = em;
        this.transfers = transfers;
        this.creditsBought = creditsBought;
    }

    /** The last block whose events are in the database (-1 before the first sync). */
    long lastBlock() {
        return lastBlock;
    }

    /** Processes the next range of confirmed blocks; the number of logs it applied. */
    int round(long head) throws IOException {
        long safe = head - (config.confirmations() - 1);
        long from = cursor() + 1;
        if (from > safe) {
            return 0;
        }
        long to = Math.min(safe, from + MAX_RANGE - 1);
        Map<ContractName, String> addresses = contracts.addresses();
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
                java.util.stream.Stream.of(addresses.get(ContractName.OperatorNFT), addresses.get(ContractName.GpuNFT),
                        addresses.get(ContractName.TimeSlotNFT), addresses.get(ContractName.CreditsBurner),
                        addresses.get(ContractName.EpochRewards), addresses.get(ContractName.SlotMarket))
                        .filter(java.util.Objects::nonNull).toList());
        List<Log> logs = new ArrayList<>();
        for (EthLog.LogResult<?> result : ChainClient.send(client.web3j().ethGetLogs(filter)).getLogs()) {
            logs.add((Log) result.get());
        }
        List<GpuMetadataEntity> metadata = GpuMetadataMirror.fetch(client, addresses.get(ContractName.GpuNFT),
                gpusNeedingMetadata(logs, addresses.get(ContractName.GpuNFT)), to);
        Map<Long, java.time.Instant> times = history.blockTimes(logs, to);
        List<TokenTransferred> moved = QuarkusTransaction.requiringNew().call(() -> {
            List<TokenTransferred> applied = new ArrayList<>();
            for (Log log : logs) {
                switch (contracts.nameOf(log.getAddress()).orElseThrow()) {
                    case EpochRewards -> history.record(log, null, times); // claims
                    case CreditsBurner -> apply(log, applied, times);
                    case SlotMarket -> slots.apply(client.chainId(), log, times.get(log.getBlockNumber().longValueExact()));
                    case TimeSlotNFT -> {
                        history.record(log, AssetKind.TIME_SLOT, times);
                        apply(log, applied, times);
                        slots.apply(client.chainId(), log, times.get(log.getBlockNumber().longValueExact()));
                    }
                    default -> {
                        history.record(log, kindOf(log.getAddress()), times);
                        apply(log, applied, times);
                    }
                }
            }
            for (GpuMetadataEntity gpu : metadata) {
                em.merge(gpu);
            }
            em.createNativeQuery("""
                            insert into chain_sync (chain_id, last_block) values (?1, ?2)
                            on conflict (chain_id) do update set last_block = excluded.last_block""")
                    .setParameter(1, client.chainId()).setParameter(2, to).executeUpdate();
            history.syncedThrough(client.chainId(), times.get(to));
            return applied;
        });
        lastBlock = to;
        moved.forEach(transfers::fire);
        return Math.max(1, logs.size());
    }

    /** GPU NFTs minted in {@code logs}, and any the mirror holds without their metadata (from before it was kept). */
    @SuppressWarnings("unchecked")
    private java.util.Set<BigInteger> gpusNeedingMetadata(List<Log> logs, String gpuNft) {
        java.util.Set<BigInteger> ids = new java.util.LinkedHashSet<>();
        for (Log log : logs) {
            if (log.getAddress().equalsIgnoreCase(gpuNft) && log.getTopics().get(0).equals(TRANSFER)) {
                GpuNFT.TransferEventResponse event = GpuNFT.getTransferEventFromLog(log);
                if (event.from.equalsIgnoreCase(Addresses.ZERO)) {
                    ids.add(event.tokenId);
                }
            }
        }
        List<Object> missing = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        select t.token_id from chain_token t where t.kind = 'GPU' and not t.burned
                        and not exists (select 1 from chain_gpu_metadata m where m.token_id = t.token_id)
                        order by t.token_id limit ?1""")
                .setParameter(1, METADATA_BATCH).getResultList());
        missing.forEach(id -> ids.add(id instanceof BigInteger b ? b : new java.math.BigDecimal(id.toString()).toBigIntegerExact()));
        return ids;
    }

    private long cursor() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<?> rows = em.createNativeQuery("select last_block from chain_sync where chain_id = ?1")
                    .setParameter(1, client.chainId()).getResultList();
            long cursor = rows.isEmpty() ? contracts.firstBlock() - 1 : ((Number) rows.get(0)).longValue();
            lastBlock = cursor;
            return cursor;
        });
    }

    private void apply(Log log, List<TokenTransferred> applied, Map<Long, java.time.Instant> times) {
        if (contracts.nameOf(log.getAddress()).orElseThrow() == ContractName.CreditsBurner) {
            if (log.getTopics().get(0).equals(CREDITS_BOUGHT)) { // observed in this transaction: posted with the cursor
                CreditsBurner.CreditsBoughtEventResponse e = CreditsBurner.getCreditsBoughtEventFromLog(log);
                creditsBought.fire(new CreditsBought(client.chainId(), log.getTransactionHash().toLowerCase(Locale.ROOT),
                        log.getLogIndex().intValueExact(), log.getBlockNumber().longValueExact(), e.buyer.toLowerCase(Locale.ROOT),
                        org.web3j.utils.Numeric.toHexString(e.account), e.tokenAmount, e.priceE8, e.dataCredits));
            }
            return;
        }
        AssetKind kind = kindOf(log.getAddress());
        String topic = log.getTopics().get(0);
        long block = log.getBlockNumber().longValueExact();
        int index = log.getLogIndex().intValueExact();
        if (topic.equals(TRANSFER)) {
            GpuNFT.TransferEventResponse event = GpuNFT.getTransferEventFromLog(log);
            String from = event.from.toLowerCase(Locale.ROOT);
            String to = event.to.toLowerCase(Locale.ROOT);
            TokenEntity token = TokenEntity.findById(new TokenEntity.Key(kind, event.tokenId));
            if (token == null) {
                token = new TokenEntity();
                token.kind = kind;
                token.tokenId = event.tokenId;
                token.contract = log.getAddress().toLowerCase(Locale.ROOT);
                token.lastBlock = -1;
            }
            if (!token.olderThan(block, index)) {
                return; // already applied (a replayed range)
            }
            if (from.equals(Addresses.ZERO)) {
                token.mintedTx = log.getTransactionHash();
                token.slotPool = null; // a slot's terms come with its SlotMinted, right after (once: see SLOT_MINTED)
            }
            token.burned = to.equals(Addresses.ZERO);
            if (token.burned && kind == AssetKind.GPU) {
                GpuMetadataEntity.deleteById(event.tokenId); // the contract deletes a burned GPU's metadata too
            }
            token.owner = token.burned ? from : to;
            token.lastTx = log.getTransactionHash();
            token.lastBlock = block;
            token.lastLogIndex = index;
            token.persist();
            applied.add(new TokenTransferred(kind, event.tokenId, from, to, log.getTransactionHash(), block));
            if (kind == AssetKind.TIME_SLOT && !from.equals(Addresses.ZERO) && !token.burned) { // observed in this transaction
                slotTransfers.fire(new SlotTransferred(client.chainId(), log.getTransactionHash().toLowerCase(Locale.ROOT), index, block,
                        times.get(block), event.tokenId, from, to));
            }
        } else if (topic.equals(UPDATE_USER)) {
            TimeSlotNFT.UpdateUserEventResponse event = TimeSlotNFT.getUpdateUserEventFromLog(log);
            TokenEntity token = TokenEntity.findById(new TokenEntity.Key(kind, event.tokenId));
            if (token != null) {
                boolean cleared = event.user.equalsIgnoreCase(Addresses.ZERO);
                token.userAddress = cleared ? null : event.user.toLowerCase(Locale.ROOT);
                token.userExpiresSeconds = cleared ? null : event.expires; // 2^64-1: lent for good (ChainTime)
            }
        } else if (topic.equals(SLOT_MINTED)) {
            TimeSlotNFT.SlotMintedEventResponse event = TimeSlotNFT.getSlotMintedEventFromLog(log);
            TokenEntity token = TokenEntity.findById(new TokenEntity.Key(kind, event.tokenId));
            if (token != null && token.slotPool == null) { // only just minted: a range read again keeps a close's end
                token.slotPool = event.pool;
                token.slotGpuCount = event.gpuCount.longValueExact(); // uint32
                token.slotStartSeconds = event.start;
                token.slotEndSeconds = event.end;
                token.slotKind = SlotKind.ofChain(event.kind);
            }
        } else if (topic.equals(CERTIFICATE_UPDATED)) {
            GpuNFT.CertificateUpdatedEventResponse event = GpuNFT.getCertificateUpdatedEventFromLog(log);
            GpuMetadataEntity gpu = GpuMetadataEntity.findById(event.tokenId);
            if (gpu != null && block > gpu.asOfBlock) {
                gpu.certificateHash = org.web3j.utils.Numeric.toHexString(event.certificateHash);
            }
        }
    }

    private AssetKind kindOf(String address) {
        ContractName name = contracts.nameOf(address).orElseThrow();
        for (AssetKind kind : AssetKind.values()) {
            if (kind.contract() == name) {
                return kind;
            }
        }
        throw new IllegalStateException("No NFT kind for " + name);
    }
}
