package credits;

import accounts.TestWallet;
import chain.Chain;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import platform.Epochs;

/**
 * How the settlement tests produce a settled epoch (with one-minute epochs,
 * {@link EpochSettlementTest.OneMinuteEpochs}): pick an epoch nobody has settled yet, put uptime,
 * burns and NFT holders into it, move the embedded chain's time past its end, and run the job at
 * an instant after it. Tests of one app share the epochs and the chain's clock, so the epoch picked
 * is after every settled one and after the chain's newest block.
 */
@ApplicationScoped
class TestEpochs {

    /** The untyped answer of an anvil cheat code. */
    public static class AnyResponse extends Response<Object> {
    }

    private final EntityManager em;
    private final Epochs epochs;
    private final Chain chain;
    private final SettlementConfig config;

    TestEpochs(EntityManager em, Epochs epochs, Chain chain, SettlementConfig config) {
        this.em = em;
        this.epochs = epochs;
        this.chain = chain;
        this.config = config;
    }

    /**
     * The first epoch that is under way or ahead, after every settled epoch and not before the chain's
     * newest block, so that what is on chain now (NFTs minted, prices set) is there at its end.
     */
    long nextUnsettled() throws Exception {
        Object settled = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select max(epoch) from credits_epoch where status in ('SETTLED', 'PUBLISHED')").getSingleResult());
        long head = Web3j.build(new HttpService(rpc())).ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()
                .getBlock().getTimestamp().longValueExact();
        long epoch = Math.max(epochs.epochAt(Instant.now()), epochs.epochAt(Instant.ofEpochSecond(head)));
        return settled == null ? epoch : Math.max(epoch, ((Number) settled).longValue() + 1);
    }

    /**
     * Settles every epoch through {@code epoch} with the self-dealing guard {@code guard}: the job runs
     * at its start (so that its row is there), the chain's time is moved past its end, and the job runs
     * at the first instant that settles it. Only for an
     * epoch in which nothing more is posted: the job's cut-off may lie ahead of the real time.
     */
    void settleThrough(long epoch, EpochSettlement settlement, EpochSettlement.GuardSetting guard) throws Exception {
        Instant end = epochs.endOf(epoch);
        settlement.tick(epochs.startOf(epoch), guard); // the job has seen the epoch under way: its row exists
        chainTimePast(end);
        settlement.tick(end.plus(config.closeDelay()).plus(config.commitMargin()).plusSeconds(1), guard);
    }

    /** Marks a GPU online for {@code seconds} from {@code from}, as heartbeats every 30 s would have (pools_uptime masks). */
    void online(long gpuId, Instant from, int seconds) {
        long hour = Math.floorDiv(from.getEpochSecond(), 3600);
        int first = (int) ((from.getEpochSecond() - hour * 3600) / 30);
        StringBuilder mask = new StringBuilder("0".repeat(120));
        for (int i = first; i < first + seconds / 30; i++) {
            mask.setCharAt(i, '1');
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "insert into pools_uptime (gpu_id, hour, mask) values (?1, ?2, cast(?3 as varbit))")
                .setParameter(1, gpuId).setParameter(2, hour).setParameter(3, mask.toString()).executeUpdate());
    }

    /** Mines a block with a time after {@code instant} and waits until event sync has read past it. */
    void chainTimePast(Instant instant) throws Exception {
        long at = Math.max(instant.getEpochSecond() + 1, Instant.now().getEpochSecond() + 1);
        new Request<>("evm_mine", List.of(at), new HttpService(rpc()), AnyResponse.class).send();
        await("event sync past " + instant, () -> chain.syncedThrough().orElse(Instant.EPOCH), t -> !t.isBefore(instant));
    }

    /** Gives the wallet 1 ether on the embedded chain, for gas. */
    void fund(TestWallet wallet) throws Exception {
        new Request<>("anvil_setBalance", List.of(wallet.address(), "0x" + BigInteger.TEN.pow(18).toString(16)), new HttpService(rpc()),
                AnyResponse.class).send();
    }

    String rpc() {
        return chain.info().embeddedRpc().orElseThrow();
    }

    /** A token amount as the pages show it: whole tokens, four decimals rounded down, grouped ("1,141.5525"). */
    static String tokens(BigInteger baseUnits) {
        return new java.text.DecimalFormat("#,##0.00##", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT))
                .format(new java.math.BigDecimal(baseUnits).movePointLeft(18).setScale(4, java.math.RoundingMode.DOWN));
    }

    static <T> T await(String what, Supplier<T> read, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what + "; last: " + value);
            }
            Thread.sleep(200);
            value = read.get();
        }
        return value;
    }
}
