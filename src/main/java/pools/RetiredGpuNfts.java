package pools;

import chain.AssetKind;
import chain.Chain;
import chain.ChainEffect;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Burns the GPU NFT of every retired GPU (through the chain outbox), so that a GPU UUID never has
 * two live NFTs: registering the UUID again waits until the chain shows the burn. It follows the
 * GPUs' status rather than the code that retires them, so every way of retiring is covered. Safe on
 * several instances at once: rows are locked while they change, those another instance holds are
 * skipped, and the burn's outbox key is the GPU's, so asking twice burns once.
 */
@ApplicationScoped
class RetiredGpuNfts {

    private static final int BATCH = 100;

    private final Chain chain;
    private final Clock clock;

    RetiredGpuNfts(Chain chain, Clock clock) {
        this.chain = chain;
        this.clock = clock;
    }

    @Scheduled(every = "${bc.pools.status-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> requestBurns(now));
    }

    /** Hands the burn of retired GPUs' NFTs to the outbox; the number of burns asked for. */
    int requestBurns(Instant now) {
        List<GpuEntity> retired = GpuEntity.<GpuEntity>find("status = ?1 and mintTo is not null and nftBurnRequestedAt is null order by id",
                        GpuStatus.RETIRED)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .page(0, BATCH).list();
        int burns = 0;
        for (GpuEntity gpu : retired) {
            BigInteger tokenId = BigInteger.valueOf(gpu.id);
            boolean live = chain.token(AssetKind.GPU, tokenId).filter(t -> !t.burned()).isPresent();
            if (live) {
                chain.request(gpu.burnKey(), new ChainEffect.BurnGpuNft(tokenId));
                burns++;
            }
            // a GPU retired before its mint went through has nothing to burn
            gpu.nftBurnRequestedAt = now;
        }
        return burns;
    }
}
