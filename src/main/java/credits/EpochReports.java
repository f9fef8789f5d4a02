package credits;

import chain.Chain;
import chain.EffectStatus;
import chain.MerkleTree;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import platform.DomainException;

/** The published side of settlement: epochs, their reports, claims' proofs, and earnings for the pages. */
@ApplicationScoped
public class EpochReports {

    public static final int MAX_PAGE = 100;

    private final EntityManager em;
    private final EpochSettlement settlement;
    private final Chain chain;

    EpochReports(EntityManager em, EpochSettlement settlement, Chain chain) {
        this.em = em;
        this.settlement = settlement;
        this.chain = chain;
    }

    /** An epoch as listed: amounts in token base units as decimal strings; minted and totalDc once settled. */
    public record EpochSummary(long epoch, Instant start, Instant end, String status, String emission, String minted, Long totalDc) {
    }

    /** A settled epoch's report: inputs and result as canonical JSON text, and where its root went. */
    public record EpochReport(EpochSummary summary, String inputs, String result, String inputsDigest, String merkleRoot, String rootTx) {
    }

    /** What {@code EpochRewards.claim(epoch, account, cumulativeAmount, proof)} takes. */
    public record ClaimProof(long epoch, String account, String cumulativeAmount, List<String> proof) {
    }

    private static final String SUMMARY = "select epoch, start_at, end_at, status, emission, minted, total_dc from credits_epoch ";

    /** Epochs newest first, before {@code before} (exclusive) when given; at most {@link #MAX_PAGE}. */
    @SuppressWarnings("unchecked")
    public List<EpochSummary> epochs(Optional<Long> before, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> ((List<Object[]>) em.createNativeQuery(
                                SUMMARY + "where epoch < ?1 order by epoch desc limit ?2")
                        .setParameter(1, before.orElse(Long.MAX_VALUE)).setParameter(2, Math.max(1, Math.min(limit, MAX_PAGE)))
                        .getResultList())
                .stream().map(EpochReports::summary).toList());
    }

    @SuppressWarnings("unchecked")
    public Optional<EpochReport> report(long epoch) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            List<Object[]> rows = em.createNativeQuery(
                            "select epoch, start_at, end_at, status, emission, minted, total_dc, inputs, result, inputs_digest, merkle_root,"
                                    + " root_effect from credits_epoch where epoch = ?1")
                    .setParameter(1, epoch).getResultList();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            Object[] r = rows.get(0);
            String rootTx = r[11] == null ? null : chain.effect((String) r[11]).map(EffectStatus::txHash).orElse(null);
            return Optional.of(new EpochReport(summary(r), (String) r[7], (String) r[8], (String) r[9], (String) r[10], rootTx));
        });
    }

    /** The proof of {@code account}'s cumulative entitlement at {@code epoch}; 404 unless the epoch's root is on chain and names it. */
    public ClaimProof claim(long epoch, String account) {
        String address = account.toLowerCase(java.util.Locale.ROOT);
        return QuarkusTransaction.joiningExisting().call(() -> {
            List<?> status = em.createNativeQuery("select status from credits_epoch where epoch = ?1").setParameter(1, epoch).getResultList();
            if (status.isEmpty() || !"PUBLISHED".equals(status.get(0))) {
                throw DomainException.notFound("Epoch " + epoch + " has no published root yet");
            }
            List<MerkleTree.Entitlement> entitlements = settlement.entitlements(epoch);
            MerkleTree.Entitlement mine = entitlements.stream().filter(e -> e.account().equals(address)).findFirst()
                    .orElseThrow(() -> DomainException.notFound(address + " has no entitlement in epoch " + epoch));
            return new ClaimProof(epoch, address, mine.cumulativeAmount().toString(), MerkleTree.of(entitlements).proof(address));
        });
    }

    // --- For the pages

    /** What one GPU NFT earned in one epoch, and who held it at the epoch's end. */
    public record GpuEarning(long epoch, String gpuToken, long poolId, String holder, long onlineSeconds, long dcConsumed, String reward) {
    }

    /**
     * What one pool's operator NFT earned in one epoch; {@code capped} is what the self-dealing guard
     * cut from the pool's share ("0" when it did not).
     */
    public record PoolEarning(long epoch, long poolId, String operatorToken, String operatorHolder, long dcConsumed, String allocation,
                              String operatorReward, String capped) {
        public boolean isCapped() {
            return !"0".equals(capped);
        }
    }

    /** One holder's payout in an epoch and its cumulative entitlement through it. */
    public record Entitlement(long epoch, String account, String amount, String cumulative) {
    }

    private static final String GPU_ROW = "select epoch, gpu_token, pool_id, holder, online_seconds, dc_consumed, reward from credits_epoch_gpu ";
    private static final String POOL_ROW = "select epoch, pool_id, operator_token, operator_holder, dc_consumed, allocation, operator_reward,"
            + " capped from credits_epoch_pool ";

    public List<GpuEarning> gpus(long epoch) {
        return gpuRows(GPU_ROW + "where epoch = ?1 order by gpu_token limit 1000", epoch);
    }

    public List<PoolEarning> pools(long epoch) {
        return poolRows(POOL_ROW + "where epoch = ?1 order by pool_id limit 1000", epoch);
    }

    /** A GPU NFT's earnings in every settled epoch, newest first, across its holders. */
    public List<GpuEarning> gpuHistory(BigInteger gpuToken) {
        return gpuRows(GPU_ROW + "where gpu_token = ?1 order by epoch desc limit 1000", new BigDecimal(gpuToken));
    }

    /** What the GPU NFTs {@code holder} held at epochs' ends earned, newest first. */
    public List<GpuEarning> gpuEarningsOf(String holder) {
        return gpuRows(GPU_ROW + "where holder = ?1 order by epoch desc, gpu_token limit 1000", holder.toLowerCase(java.util.Locale.ROOT));
    }

    public List<PoolEarning> operatorEarningsOf(String holder) {
        return poolRows(POOL_ROW + "where operator_holder = ?1 order by epoch desc, pool_id limit 1000", holder.toLowerCase(java.util.Locale.ROOT));
    }

    /** The payouts of an epoch (holders paid something in it), by account. */
    @SuppressWarnings("unchecked")
    public List<Entitlement> payouts(long epoch) {
        return QuarkusTransaction.joiningExisting().call(() -> ((List<Object[]>) em.createNativeQuery(
                        "select epoch, account, amount, cumulative from credits_entitlement where epoch = ?1 and amount > 0 order by account limit 1000")
                .setParameter(1, epoch).getResultList()).stream()
                .map(r -> new Entitlement(((Number) r[0]).longValue(), (String) r[1], integer(r[2]), integer(r[3]))).toList());
    }

    /** The account's entitlement in the newest epoch whose root is on chain: what it can claim with that root. */
    @SuppressWarnings("unchecked")
    public Optional<Entitlement> latestPublishedEntitlement(String account) {
        return QuarkusTransaction.joiningExisting().call(() -> ((List<Object[]>) em.createNativeQuery("""
                        select e.epoch, e.account, e.amount, e.cumulative from credits_entitlement e
                        where e.account = ?1 and e.epoch = (select max(epoch) from credits_epoch where status = 'PUBLISHED' and merkle_root is not null)""")
                .setParameter(1, account.toLowerCase(java.util.Locale.ROOT)).getResultList()).stream()
                .map(r -> new Entitlement(((Number) r[0]).longValue(), (String) r[1], integer(r[2]), integer(r[3]))).findFirst());
    }

    /** What {@code account} was paid in its most recent epochs (newest first). */
    @SuppressWarnings("unchecked")
    public List<Entitlement> entitlementsOf(String account, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> ((List<Object[]>) em.createNativeQuery(
                        "select epoch, account, amount, cumulative from credits_entitlement where account = ?1 order by epoch desc limit ?2")
                .setParameter(1, account.toLowerCase(java.util.Locale.ROOT)).setParameter(2, Math.max(1, Math.min(limit, 1000)))
                .getResultList()).stream()
                .map(r -> new Entitlement(((Number) r[0]).longValue(), (String) r[1], integer(r[2]), integer(r[3]))).toList());
    }

    @SuppressWarnings("unchecked")
    private List<GpuEarning> gpuRows(String sql, Object parameter) {
        return QuarkusTransaction.joiningExisting().call(() -> ((List<Object[]>) em.createNativeQuery(sql).setParameter(1, parameter)
                .getResultList()).stream().map(r -> new GpuEarning(((Number) r[0]).longValue(), integer(r[1]), ((Number) r[2]).longValue(),
                (String) r[3], ((Number) r[4]).longValue(), ((Number) r[5]).longValue(), integer(r[6]))).toList());
    }

    @SuppressWarnings("unchecked")
    private List<PoolEarning> poolRows(String sql, Object parameter) {
        return QuarkusTransaction.joiningExisting().call(() -> ((List<Object[]>) em.createNativeQuery(sql).setParameter(1, parameter)
                .getResultList()).stream().map(r -> new PoolEarning(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), integer(r[2]),
                (String) r[3], ((Number) r[4]).longValue(), integer(r[5]), integer(r[6]), integer(r[7]))).toList());
    }

    static EpochSummary summary(Object[] r) {
        return new EpochSummary(((Number) r[0]).longValue(), instant(r[1]), instant(r[2]), (String) r[3], integer(r[4]),
                r[5] == null ? null : integer(r[5]), r[6] == null ? null : ((Number) r[6]).longValue());
    }

    static String integer(Object numeric) {
        return new BigDecimal(numeric.toString()).toBigIntegerExact().toString();
    }

    static Instant instant(Object time) {
        return time instanceof Timestamp t ? t.toInstant() : time instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) time;
    }
}
