package chain;

import chain.contracts.EpochRewards;
import chain.contracts.GpuNFT;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.Log;

/**
 * What event sync keeps beside the ownership mirror: every NFT transfer with its block's time
 * ({@code chain_transfer}), the EpochRewards claims ({@code chain_claim}), and how far in time it
 * has read ({@code chain_sync.synced_through}): every transfer in a block with a time before it is
 * in the history. That is the time of the last block read, or, once sync has read the chain's head
 * (one confirmation), the time it looked less {@link #HEAD_MARGIN}, since a later block cannot
 * carry an earlier time than that (an idle chain makes no blocks, and time still passes).
 */
@ApplicationScoped
class TransferHistory {

    static final String TRANSFER = EventEncoder.encode(GpuNFT.TRANSFER_EVENT);
    static final String CLAIMED = EventEncoder.encode(EpochRewards.CLAIMED_EVENT);
    /** How much earlier than the moment it is looked at a new block's time may be. */
    static final Duration HEAD_MARGIN = Duration.ofSeconds(15);

    private final ChainClient client;
    private final EntityManager em;
    private final Clock clock;

    TransferHistory(ChainClient client, EntityManager em, Clock clock) {
        this.client = client;
        this.em = em;
        this.clock = clock;
    }

    /**
     * The times of the blocks of {@code logs} that need one (transfers, claims, {@link SlotMirror}'s)
     * and of {@code last}, read before the sync's transaction.
     */
    Map<Long, Instant> blockTimes(List<Log> logs, long last) throws IOException {
        TreeSet<Long> blocks = new TreeSet<>();
        for (Log log : logs) {
            String topic = log.getTopics().get(0);
            if (topic.equals(TRANSFER) || topic.equals(CLAIMED) || SlotMirror.TOPICS.contains(topic)) {
                blocks.add(log.getBlockNumber().longValueExact());
            }
        }
        if (last >= 0) {
            blocks.add(last);
        }
        Map<Long, Instant> times = new HashMap<>();
        for (long block : blocks) {
            BigInteger seconds = ChainClient.send(client.web3j().ethGetBlockByNumber(
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(block)), false)).getBlock().getTimestamp();
            times.put(block, Instant.ofEpochSecond(seconds.longValueExact()));
        }
        return times;
    }

    /** Records a transfer of an NFT contract's or a claim of the rewards contract's log (a replayed log changes nothing). */
    void record(Log log, AssetKind kind, Map<Long, Instant> times) {
        String topic = log.getTopics().get(0);
        long block = log.getBlockNumber().longValueExact();
        if (kind != null && topic.equals(TRANSFER)) {
            GpuNFT.TransferEventResponse event = GpuNFT.getTransferEventFromLog(log);
            em.createNativeQuery("""
                            insert into chain_transfer (kind, token_id, block_number, log_index, block_time, from_address, to_address, tx_hash)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) on conflict do nothing""")
                    .setParameter(1, kind.name()).setParameter(2, event.tokenId).setParameter(3, block)
                    .setParameter(4, log.getLogIndex().intValueExact()).setParameter(5, Timestamp.from(times.get(block)))
                    .setParameter(6, event.from.toLowerCase(Locale.ROOT)).setParameter(7, event.to.toLowerCase(Locale.ROOT))
                    .setParameter(8, log.getTransactionHash())
                    .executeUpdate();
        } else if (kind == null && topic.equals(CLAIMED)) {
            EpochRewards.ClaimedEventResponse event = EpochRewards.getClaimedEventFromLog(log);
            em.createNativeQuery("""
                            insert into chain_claim (tx_hash, log_index, account, epoch, amount, cumulative, block_number, block_time)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) on conflict do nothing""")
                    .setParameter(1, log.getTransactionHash()).setParameter(2, log.getLogIndex().intValueExact())
                    .setParameter(3, event.account.toLowerCase(Locale.ROOT)).setParameter(4, event.epoch)
                    .setParameter(5, event.amount).setParameter(6, event.cumulativeAmount).setParameter(7, block)
                    .setParameter(8, Timestamp.from(times.get(block)))
                    .executeUpdate();
        }
    }

    /** Records the time of the last block a round read (inside the round's transaction). */
    void syncedThrough(long chainId, Instant lastBlockTime) {
        em.createNativeQuery("""
                        update chain_sync set synced_through = greatest(coalesce(synced_through, ?2), ?2) where chain_id = ?1""")
                .setParameter(1, chainId).setParameter(2, Timestamp.from(lastBlockTime))
                .executeUpdate();
    }

    /**
     * Every transfer in a block with a time before the answer is in the history: the time of the
     * last block read or, when that block is the chain's confirmed head now, the time less
     * {@link #HEAD_MARGIN}. Read when asked, so an idle chain costs no writes; empty before the
     * first round and, when the chain does not answer, the last block's time.
     */
    Optional<Instant> syncedThrough(long chainId, int confirmations) {
        List<?> rows = em.createNativeQuery("select last_block, synced_through from chain_sync where chain_id = ?1 and synced_through is not null")
                .setParameter(1, chainId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        long lastBlock = ((Number) row[0]).longValue();
        Instant through = Chain.instant(row[1]);
        try {
            if (client.headBlock() - (confirmations - 1) <= lastBlock) {
                Instant looked = clock.instant().minus(HEAD_MARGIN);
                return Optional.of(looked.isAfter(through) ? looked : through);
            }
        } catch (IOException | RuntimeException chainDown) {
            // the chain does not answer: what was read is all that is known
        }
        return Optional.of(through);
    }
}
