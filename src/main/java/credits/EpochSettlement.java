package credits;

import chain.AssetKind;
import chain.Chain;
import chain.ChainEffect;
import chain.EffectStatus;
import chain.MerkleTree;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import credits.web.SimulationRequest;
import credits.web.SimulationResponse;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import platform.Epochs;
import pools.EpochPool;
import pools.Pools;

/**
 * Closes, settles and publishes epochs, each exactly once whatever the number of replicas and
 * crashes (docs/decisions.md, "Epochs and settlement"). An epoch is OPEN while it runs and for
 * {@code bc.settlement.close-delay} after, then CLOSED; the oldest CLOSED epoch whose end event
 * sync has passed is claimed with {@code FOR UPDATE SKIP LOCKED}, its inputs are read (burns from
 * the ledger, online seconds from pools, holders at its end from the chain mirror), settled by
 * {@link Settlement}, and inputs, result, cumulative entitlements and the request for the root's
 * transaction are stored in that one transaction (SETTLED); once the root's transaction is
 * confirmed the epoch is PUBLISHED. Epochs are settled in order, since entitlements are cumulative.
 */
@ApplicationScoped
public class EpochSettlement {

    private static final Logger LOG = Logger.getLogger(EpochSettlement.class);
    /** RFC 8785 for these inputs: keys sorted, no whitespace; every value is an ASCII string or an integer. */
    static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private final EntityManager em;
    private final Epochs epochs;
    private final EmissionSchedule schedule;
    private final SettlementConfig config;
    private final Pools pools;
    private final Chain chain;
    private final Ledger ledger;
    private final Oracle oracle;
    private final Clock clock;

    @Inject
    public EpochSettlement(EntityManager em, Epochs epochs, EmissionSchedule schedule, SettlementConfig config, Pools pools, Chain chain,
                           Ledger ledger, Oracle oracle, Clock clock) {
        this.oracle = oracle;
        this.ledger = ledger;
        this.em = em;
        this.epochs = epochs;
        this.schedule = schedule;
        this.config = config;
        this.pools = pools;
        this.chain = chain;
        this.clock = clock;
    }

    /**
     * The self-dealing guard as a settlement applies it: off, or on with its cap
     * ({@code bc.settlement.self-dealing-guard.*}); a test may settle with another setting than the configured one.
     */
    record GuardSetting(boolean enabled, long maxRewardBps) {
        static GuardSetting of(SettlementConfig.SelfDealingGuardConfig config) {
            return new GuardSetting(config.enabled(), config.maxRewardBps());
        }
    }

    /** One round of the job at the clock's time. */
    public int tick() {
        return tick(clock.instant());
    }

    /** One round at {@code now}: opens epochs up to now, closes those past their delay, settles and publishes what is due. */
    public int tick(Instant now) {
        return tick(now, GuardSetting.of(config.selfDealingGuard()));
    }

    /** One round at {@code now}, settling with the self-dealing guard {@code guard}. */
    int tick(Instant now, GuardSetting guard) {
        int work = QuarkusTransaction.requiringNew().call(() -> open(now) + close(now));
        while (true) {
            long started = System.nanoTime();
            Long settled = QuarkusTransaction.requiringNew().call(() -> settleNext(now, guard));
            if (settled == null) {
                break;
            }
            LOG.infof("Epoch %d settled and committed in %d ms", settled, (System.nanoTime() - started) / 1_000_000);
            work++;
        }
        return work + QuarkusTransaction.requiringNew().call(this::publishConfirmed);
    }

    /** Rows for the epochs from the one after the last known (or the current one, the first time) through the current one. */
    int open(Instant now) {
        long current = epochs.epochAt(now);
        if (current < 0) {
            return 0;
        }
        Object last = em.createNativeQuery("select max(epoch) from credits_epoch").getSingleResult();
        long from = last == null ? current : ((Number) last).longValue() + 1;
        int opened = 0;
        for (long epoch = from; epoch <= current; epoch++) {
            opened += em.createNativeQuery("""
                            insert into credits_epoch (epoch, start_at, end_at, status, emission)
                            values (?1, ?2, ?3, 'OPEN', ?4) on conflict (epoch) do nothing""")
                    .setParameter(1, epoch).setParameter(2, Timestamp.from(epochs.startOf(epoch)))
                    .setParameter(3, Timestamp.from(epochs.endOf(epoch)))
                    .setParameter(4, new BigDecimal(schedule.emissionOf(epoch).value()))
                    .executeUpdate();
        }
        return opened;
    }

    int close(Instant now) {
        return em.createNativeQuery("""
                        update credits_epoch set status = 'CLOSED', closed_at = ?1 where status = 'OPEN' and end_at <= ?2""")
                .setParameter(1, Timestamp.from(now)).setParameter(2, Timestamp.from(now.minus(config.closeDelay())))
                .executeUpdate();
    }

    /** Settles the oldest unsettled epoch if it is CLOSED, not claimed by another instance, and event sync has passed its end. */
    Long settleNext(Instant now, GuardSetting guard) {
        Object oldest = em.createNativeQuery("select min(epoch) from credits_epoch where status in ('OPEN', 'CLOSED')").getSingleResult();
        if (oldest == null) {
            return null;
        }
        long epoch = ((Number) oldest).longValue();
        List<?> claimed = em.createNativeQuery(
                        "select epoch from credits_epoch where epoch = ?1 and status = 'CLOSED' for update skip locked")
                .setParameter(1, epoch).getResultList();
        if (claimed.isEmpty()) {
            return null;
        }
        Instant end = epochs.endOf(epoch);
        Optional<Instant> synced = chain.syncedThrough();
        if (synced.isEmpty() || synced.get().isBefore(end)) {
            LOG.debugf("Epoch %d waits for event sync to pass %s (now at %s)", epoch, end, synced.orElse(null));
            return null;
        }
        settle(epoch, now, guard);
        return epoch;
    }

    private void settle(long epoch, Instant now, GuardSetting guard) {
        LOG.infof("Settling epoch %d", epoch);
        Phases phases = new Phases();
        // Aggregating a large epoch per GPU (100,000 groups) spills to disk at PostgreSQL's default
        // 4 MB; 32 MB keeps it in memory. For this transaction only.
        em.createNativeQuery("set local work_mem = '32MB'").executeUpdate();
        Instant postedBefore = now.minus(config.commitMargin());
        Inputs read = inputs(epoch, postedBefore, guard, phases);
        SimulationRequest inputs = read.request();
        SettlementResult result = Settlement.settle(inputs.toScenario());
        phases.lap("engine");
        // The canonical texts and the Merkle root are computed on another core while this one waits
        // for the database to write the rows (a large epoch: a second of each).
        CompletableFuture<String> inputsJson = CompletableFuture.supplyAsync(() -> canonical(inputs));
        CompletableFuture<String> resultJson = CompletableFuture.supplyAsync(() -> canonical(SimulationResponse.of(result)));

        List<String> accounts = result.payouts().stream().map(p -> p.holder().value()).toList();
        List<String> amounts = result.payouts().stream().map(p -> p.amount().toString()).toList();
        Object previous = em.createNativeQuery("select max(epoch) from credits_epoch where epoch < ?1 and status in ('SETTLED', 'PUBLISHED')")
                .setParameter(1, epoch).getSingleResult();
        em.createNativeQuery("""
                        insert into credits_entitlement (epoch, account, amount, cumulative)
                        select ?1, coalesce(p.account, c.account), coalesce(p.amount, 0), coalesce(c.cumulative, 0) + coalesce(p.amount, 0)
                        from (select account, cumulative from credits_entitlement where epoch = ?2) c
                        full join unnest(cast(?3 as text[]), cast(?4 as numeric[])) as p(account, amount) on p.account = c.account""")
                .setParameter(1, epoch).setParameter(2, previous == null ? -1L : ((Number) previous).longValue())
                .setParameter(3, array(accounts)).setParameter(4, array(amounts))
                .executeUpdate();
        List<MerkleTree.Entitlement> entitlements = entitlements(epoch);
        CompletableFuture<String> merkleRoot = entitlements.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> MerkleTree.of(entitlements).root());
        phases.lap("entitlements");
        storeBreakdown(epoch, read, result);
        phases.lap("breakdown");

        String root = merkleRoot.join();
        String effectKey = null;
        if (root != null) {
            effectKey = "epoch-root:" + epoch;
            chain.request(effectKey, new ChainEffect.PublishEpochRoot(BigInteger.valueOf(epoch), root));
        }
        em.createNativeQuery("""
                        update credits_epoch set status = ?2, posted_before = ?3, total_dc = ?4, minted = ?5, inputs = ?6, result = ?7,
                        inputs_digest = ?8, merkle_root = ?9, root_effect = ?10, settled_at = ?11, published_at = ?12 where epoch = ?1""")
                .setParameter(1, epoch).setParameter(2, root == null ? "PUBLISHED" : "SETTLED")
                .setParameter(3, Timestamp.from(postedBefore)).setParameter(4, result.totalDc().value())
                .setParameter(5, new BigDecimal(result.minted().value())).setParameter(6, inputsJson.join()).setParameter(7, resultJson.join())
                .setParameter(8, sha256(inputsJson.join())).setParameter(9, root).setParameter(10, effectKey)
                .setParameter(11, Timestamp.from(now)).setParameter(12, root == null ? Timestamp.from(now) : null)
                .executeUpdate();
        phases.lap("root and report");
        LOG.infof("Settled epoch %d: %d DC, minted %s of %s to %d holders, root %s (%s)", epoch, result.totalDc().value(), result.minted(),
                result.emission(), result.payouts().size(), root, phases);
    }

    /**
     * What epoch {@code epoch} is settled from, in exactly the simulator's request shape: every pool
     * whose operator NFT has a holder at the epoch's end, with the shares in force in the epoch and
     * its GPUs whose NFTs have a holder then (ids are token ids, as decimal strings), their online
     * seconds and the Data Credits burned on them that this epoch counts. Pools by id, GPUs by id.
     */
    /** The inputs, and the operator NFT (token id) of each pool in them. */
    record Inputs(SimulationRequest request, Map<String, Long> operatorOf) {
    }

    Inputs inputs(long epoch, Instant postedBefore, GuardSetting guard, Phases phases) {
        Instant end = epochs.endOf(epoch);
        List<EpochPool> network = pools.epochPools(epoch);
        phases.lap("pools and uptime");
        Map<BigInteger, String> operators = chain.holdersAt(AssetKind.OPERATOR,
                network.stream().map(p -> BigInteger.valueOf(p.operatorId())).collect(Collectors.toSet()), end);
        Map<BigInteger, String> gpuHolders = chain.holdersAt(AssetKind.GPU,
                network.stream().flatMap(p -> p.gpuIds().stream()).map(BigInteger::valueOf).toList(), end);
        phases.lap("holders");
        Map<Long, Long> dc = new HashMap<>(dataCredits(epoch, postedBefore));
        phases.lap("burns");
        burnEscrows(epoch).forEach((gpu, burned) -> dc.merge(gpu, burned, Long::sum));
        phases.lap("escrows");
        List<SimulationRequest.Pool> result = new ArrayList<>();
        Map<String, Long> operatorOf = new HashMap<>();
        for (EpochPool pool : network) {
            String operator = operators.get(BigInteger.valueOf(pool.operatorId()));
            if (operator == null) {
                continue;
            }
            List<SimulationRequest.Gpu> gpus = new ArrayList<>();
            for (long gpu : pool.gpuIds()) {
                String holder = gpuHolders.get(BigInteger.valueOf(gpu));
                if (holder != null) {
                    gpus.add(new SimulationRequest.Gpu(Long.toString(gpu), holder, pool.onlineSeconds().getOrDefault(gpu, 0L),
                            dc.getOrDefault(gpu, 0L)));
                }
            }
            operatorOf.put(Long.toString(pool.poolId()), pool.operatorId());
            result.add(new SimulationRequest.Pool(Long.toString(pool.poolId()), (long) pool.shares().operatorBps(),
                    (long) pool.shares().poolBps(), (long) pool.shares().usedGpuBps(), operator, gpus));
        }
        return new Inputs(new SimulationRequest(schedule.emissionOf(epoch).toString(), result, guard(epoch, end, guard)), operatorOf);
    }

    /**
     * The self-dealing guard for the epoch's inputs: none when the setting is off; when on, the
     * configured cap at the oracle's confirmed price at the epoch's end. Without any such price there
     * is nothing to value DCs in tokens with, so the epoch is settled without the guard (logged).
     */
    private SimulationRequest.Guard guard(long epoch, Instant end, GuardSetting guard) {
        if (!guard.enabled()) {
            return null;
        }
        Optional<TokenPrice> price = oracle.confirmedPriceAt(end);
        if (price.isEmpty()) {
            LOG.warnf("Epoch %d is settled without the self-dealing guard: no token price confirmed on chain was observed by its end %s",
                    epoch, end);
            return null;
        }
        return new SimulationRequest.Guard(price.get().priceE8(), guard.maxRewardBps());
    }

    /**
     * The Data Credits burned per GPU that epoch {@code epoch} counts: burns metered before its end
     * and posted before {@code postedBefore}, less those the previous settled epoch counted (metered
     * before its end and posted before its cut-off). So a late post rolls into the next epoch.
     */
    @SuppressWarnings("unchecked")
    Map<Long, Long> dataCredits(long epoch, Instant postedBefore) {
        List<Object[]> previous = em.createNativeQuery("""
                        select end_at, posted_before from credits_epoch where epoch < ?1 and status in ('SETTLED', 'PUBLISHED')
                        order by epoch desc limit 1""")
                .setParameter(1, epoch).getResultList();
        Instant previousEnd = previous.isEmpty() ? Instant.EPOCH : EpochReports.instant(previous.get(0)[0]);
        Instant previousCut = previous.isEmpty() ? Instant.EPOCH : EpochReports.instant(previous.get(0)[1]);
        List<Object[]> rows = em.createNativeQuery(LedgerBurns.PER_GPU)
                .setParameter(1, Timestamp.from(epochs.endOf(epoch))).setParameter(2, Timestamp.from(postedBefore))
                .setParameter(3, Timestamp.from(previousEnd)).setParameter(4, Timestamp.from(previousCut))
                .getResultList();
        Map<Long, Long> dc = new HashMap<>();
        rows.forEach(r -> dc.put(((Number) r[0]).longValue(), ((Number) r[1]).longValue()));
        return dc;
    }

    /**
     * Burns from each reservation escrow the part of its window inside the epoch (DESIGN 7, step 1)
     * and answers the DC per GPU it burned. The escrow's DCs are spread over its GPUs and over its
     * window by cumulative floors: GPU i of k gets {@code floor(A(i+1)/k) - floor(Ai/k)} of the A
     * escrowed, and through instant t {@code floor(a * (t - start) / (end - start))} of that; each
     * epoch burns what the floors reach by its end less what earlier epochs burned, so the parts add
     * up to A exactly (never more than the escrow still holds after refunds, and never into the part
     * of the window after the epoch, which the market may still refund minute by minute). After a
     * failover moved a GPU's share to another GPU, the share's minutes from the move on are burned on
     * the GPU that served them ({@link EscrowDues}). Keys name the escrow,
     * the epoch and the GPU, so a settlement run again burns nothing twice.
     */
    @SuppressWarnings("unchecked")
    Map<Long, Long> burnEscrows(long epoch) {
        Instant start = epochs.startOf(epoch);
        Instant end = epochs.endOf(epoch);
        List<Object[]> escrows = em.createNativeQuery("""
                        select escrow_id, pool_id, gpu_ids, start_at, end_at, escrowed_dc, escrowed_dc - burned_dc - refunded_dc - moved_dc
                        from credits_escrow where start_at < ?1 and cardinality(gpu_ids) > 0 and escrowed_dc > burned_dc + refunded_dc + moved_dc
                        order by escrow_id""")
                .setParameter(1, Timestamp.from(end)).getResultList();
        Map<String, List<EscrowDues.Move>> moves = new HashMap<>();
        ((List<Object[]>) em.createNativeQuery("""
                        select m.escrow_id, m.position, m.from_at, m.gpu_id from credits_escrow_gpu_move m
                        join credits_escrow e on e.escrow_id = m.escrow_id
                        where e.start_at < ?1 and e.escrowed_dc > e.burned_dc + e.refunded_dc + e.moved_dc""")
                .setParameter(1, Timestamp.from(end)).getResultList())
                .forEach(r -> moves.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add(new EscrowDues.Move(((Number) r[1]).intValue(),
                        EpochReports.instant(r[2]).getEpochSecond(), ((Number) r[3]).longValue())));
        Map<Long, Long> burned = new HashMap<>();
        for (Object[] row : escrows) {
            String escrowId = (String) row[0];
            long poolId = ((Number) row[1]).longValue();
            Long[] gpuIds = longs(row[2]);
            long windowStart = EpochReports.instant(row[3]).getEpochSecond();
            long windowEnd = EpochReports.instant(row[4]).getEpochSecond();
            long total = ((Number) row[5]).longValue();
            long available = ((Number) row[6]).longValue();
            Map<Long, Long> before = new HashMap<>();
            ((List<Object[]>) em.createNativeQuery("""
                            select gpu_id, sum(amount) from credits_posting
                            where operation = 'BURN' and escrow_id = ?1 and idempotency_key like 'epoch-escrow:%' group by gpu_id""")
                    .setParameter(1, escrowId).getResultList())
                    .forEach(r -> before.put(((Number) r[0]).longValue(), ((Number) r[1]).longValue()));
            // each GPU's due through this epoch's end: its position's share as it accrued while the GPU
            // served it (the GPU named at purchase, or the one a failover moved the position to)
            Map<Long, Long> dues = EscrowDues.through(total, List.of(gpuIds), windowStart, windowEnd, end.getEpochSecond(),
                    moves.getOrDefault(escrowId, List.of()));
            long dueThrough = dues.values().stream().mapToLong(Long::longValue).sum();
            // never into the part of the window after this epoch: the market refunds unserved minutes
            // from it (a refund of an earlier minute was taken from what this epoch would burn)
            available = Math.min(available, dueThrough - (total - available));
            for (Map.Entry<Long, Long> due : dues.entrySet()) {
                if (available <= 0) {
                    break;
                }
                long gpu = due.getKey();
                long part = Math.min(available, due.getValue() - before.getOrDefault(gpu, 0L));
                if (part <= 0) {
                    continue;
                }
                Instant at = Instant.ofEpochSecond(Math.max(start.getEpochSecond(), windowStart));
                Posted posted = ledger.burnFromEscrow(LedgerBurns.ESCROW_KEY_PREFIX + escrowId + ":" + epoch + ":" + gpu, escrowId, poolId,
                        gpu, at, DataCredits.of(part), "reservation window in epoch " + epoch);
                available -= posted.amount().value();
                burned.merge(gpu, posted.amount().value(), Long::sum);
            }
        }
        return burned;
    }

    private static Long[] longs(Object array) {
        try {
            Object values = array instanceof java.sql.Array a ? a.getArray() : array;
            if (values instanceof Long[] longs) {
                return longs;
            }
            Object[] objects = (Object[]) values;
            Long[] longs = new Long[objects.length];
            for (int i = 0; i < objects.length; i++) {
                longs[i] = ((Number) objects[i]).longValue();
            }
            return longs;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void storeBreakdown(long epoch, Inputs read, SettlementResult result) {
        SimulationRequest inputs = read.request();
        Map<String, SettlementResult.GpuResult> byGpu = new HashMap<>();
        result.gpus().forEach(g -> byGpu.put(g.id(), g));
        List<String> tokens = new ArrayList<>();
        List<String> poolIds = new ArrayList<>();
        List<String> holders = new ArrayList<>();
        List<String> seconds = new ArrayList<>();
        List<String> dcs = new ArrayList<>();
        List<String> rewards = new ArrayList<>();
        for (SimulationRequest.Pool pool : inputs.pools()) {
            for (SimulationRequest.Gpu gpu : pool.gpus()) {
                tokens.add(gpu.id());
                poolIds.add(pool.id());
                holders.add(gpu.holder());
                seconds.add(gpu.onlineSeconds().toString());
                dcs.add(gpu.dcConsumed().toString());
                rewards.add(byGpu.get(gpu.id()).total().toString());
            }
        }
        em.createNativeQuery("""
                        insert into credits_epoch_gpu (epoch, gpu_token, pool_id, holder, online_seconds, dc_consumed, reward)
                        select ?1, t, p, h, s, d, r from unnest(cast(?2 as numeric[]), cast(?3 as bigint[]), cast(?4 as text[]),
                        cast(?5 as bigint[]), cast(?6 as bigint[]), cast(?7 as numeric[])) as x(t, p, h, s, d, r)""")
                .setParameter(1, epoch).setParameter(2, array(tokens)).setParameter(3, array(poolIds)).setParameter(4, array(holders))
                .setParameter(5, array(seconds)).setParameter(6, array(dcs)).setParameter(7, array(rewards))
                .executeUpdate();
        List<String> pools = new ArrayList<>();
        List<String> operators = new ArrayList<>();
        List<String> operatorHolders = new ArrayList<>();
        List<String> poolDcs = new ArrayList<>();
        List<String> allocations = new ArrayList<>();
        List<String> operatorRewards = new ArrayList<>();
        List<String> capped = new ArrayList<>();
        for (SettlementResult.PoolResult pool : result.pools()) {
            pools.add(pool.id());
            operators.add(Long.toString(read.operatorOf().get(pool.id())));
            operatorHolders.add(pool.operatorHolder().value());
            poolDcs.add(Long.toString(pool.dc().value()));
            allocations.add(pool.allocation().toString());
            operatorRewards.add(pool.operator().toString());
            capped.add(pool.capped().toString());
        }
        em.createNativeQuery("""
                        insert into credits_epoch_pool (epoch, pool_id, operator_token, operator_holder, dc_consumed, allocation, operator_reward,
                                                        capped)
                        select ?1, p, o, h, d, a, r, c from unnest(cast(?2 as bigint[]), cast(?3 as numeric[]), cast(?4 as text[]),
                        cast(?5 as bigint[]), cast(?6 as numeric[]), cast(?7 as numeric[]), cast(?8 as numeric[])) as x(p, o, h, d, a, r, c)""")
                .setParameter(1, epoch).setParameter(2, array(pools)).setParameter(3, array(operators)).setParameter(4, array(operatorHolders))
                .setParameter(5, array(poolDcs)).setParameter(6, array(allocations)).setParameter(7, array(operatorRewards))
                .setParameter(8, array(capped))
                .executeUpdate();
    }

    /** SETTLED epochs whose root's transaction is confirmed become PUBLISHED. */
    @SuppressWarnings("unchecked")
    int publishConfirmed() {
        List<Object[]> settled = em.createNativeQuery(
                        "select epoch, root_effect from credits_epoch where status = 'SETTLED' order by epoch for update skip locked")
                .getResultList();
        int published = 0;
        for (Object[] row : settled) {
            Optional<EffectStatus> effect = chain.effect((String) row[1]);
            if (effect.isPresent() && effect.get().status() == EffectStatus.Status.CONFIRMED) {
                published += em.createNativeQuery("update credits_epoch set status = 'PUBLISHED', published_at = ?2 where epoch = ?1")
                        .setParameter(1, ((Number) row[0]).longValue()).setParameter(2, Timestamp.from(clock.instant()))
                        .executeUpdate();
            } else if (effect.isPresent() && effect.get().status() == EffectStatus.Status.FAILED) {
                LOG.errorf("The root of epoch %d was refused by the chain: %s", row[0], effect.get().lastError());
            }
        }
        return published;
    }

    /** The cumulative entitlements of epoch {@code epoch}, in account order. */
    @SuppressWarnings("unchecked")
    List<MerkleTree.Entitlement> entitlements(long epoch) {
        List<Object[]> rows = em.createNativeQuery("select account, cumulative from credits_entitlement where epoch = ?1 order by account")
                .setParameter(1, epoch).getResultList();
        return rows.stream().map(r -> new MerkleTree.Entitlement((String) r[0], new BigDecimal(r[1].toString()).toBigIntegerExact()))
                .toList();
    }

    static String canonical(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String array(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "{", "}"));
    }

    /** Wall-clock time of a settlement's phases, for its log line (where the time of a large epoch goes). */
    static final class Phases {
        private final StringBuilder laps = new StringBuilder();
        private long since = System.nanoTime();

        void lap(String phase) {
            long now = System.nanoTime();
            laps.append(laps.isEmpty() ? "" : ", ").append(phase).append(' ').append((now - since) / 1_000_000).append(" ms");
            since = now;
        }

        @Override
        public String toString() {
            return laps.toString();
        }
    }
}
