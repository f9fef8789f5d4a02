package market;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import accounts.TestWallet;
import chain.AssetKind;
import chain.Chain;
import chain.ContractName;
import chain.contracts.TimeSlotNFT;
import credits.Credits;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * What the metering tests arrange at fixed instants: the rows the node agent's reports and
 * heartbeats leave in pools' tables once flushed (pools_workload_minutes: the minutes a lease's
 * workload was reported RUNNING; pools_uptime: the minutes a GPU sent heartbeats), written the way
 * pools writes them, because a test cannot wait out the minutes it meters. Reports over real HTTP
 * are in MeteringTest's first test.
 */
final class MeteringWorld {

    private MeteringWorld() {
    }

    /** The agent reported the order's workload on {@code gpuId} running in each of these minutes (their starts). */
    static void running(long orderId, long gpuId, List<Instant> minutes) {
        mark("""
                insert into pools_workload_minutes (lease_id, gpu_id, hour, mask) values (?, ?, ?, set_bit(cast(repeat('0', 60) as bit(60)), ?, 1))
                on conflict (lease_id, gpu_id, hour) do update set mask = pools_workload_minutes.mask | excluded.mask""",
                MarketLeases.leaseId(orderId, gpuId), gpuId, minutes);
    }

    /** The GPU sent heartbeats in each of these minutes (one-minute intervals). */
    static void online(long gpuId, List<Instant> minutes) {
        mark("""
                insert into pools_uptime (gpu_id, hour, mask) values (?, ?, set_bit(cast(repeat('0', 60) as bit varying), ?, 1))
                on conflict (gpu_id, hour) do update set mask = pools_uptime.mask | excluded.mask""", null, gpuId, minutes);
    }

    private static void mark(String sql, String leaseId, long gpuId, List<Instant> minutes) {
        try (Connection c = MarketWorld.db(); PreparedStatement s = c.prepareStatement(sql)) {
            for (Instant minute : minutes) {
                int i = 1;
                if (leaseId != null) {
                    s.setString(i++, leaseId);
                }
                s.setLong(i++, gpuId);
                s.setLong(i++, Math.floorDiv(minute.getEpochSecond(), 3600));
                s.setInt(i, (int) (Math.floorMod(minute.getEpochSecond(), 3600) / 60));
                s.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The holder sends the time slot to {@code to} on the embedded chain, from its own wallet; waits until event sync has it. */
    static void transfer(Chain chain, TestWallet from, String to, BigInteger tokenId) throws Exception {
        HttpService service = new HttpService(chain.info().embeddedRpc().orElseThrow());
        Web3j web3j = Web3j.build(service);
        try {
            Credentials holder = Credentials.create(from.key());
            new Request<>("anvil_setBalance", List.of(holder.getAddress(), "0xde0b6b3a7640000"), service, VoidResponse.class).send();
            TimeSlotNFT.load(chain.contractAddress(ContractName.TimeSlotNFT).orElseThrow(), web3j,
                            new RawTransactionManager(web3j, holder, 31337, new PollingTransactionReceiptProcessor(web3j, 50, 400)),
                            new StaticEIP1559GasProvider(31337, BigInteger.valueOf(50_000_000_000L), BigInteger.ONE, BigInteger.valueOf(300_000)))
                    .transferFrom(holder.getAddress(), to, tokenId).send();
        } finally {
            web3j.shutdown();
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!chain.token(AssetKind.TIME_SLOT, tokenId).orElseThrow().owner().equalsIgnoreCase(to)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for the transfer of slot " + tokenId + " in the mirror");
            }
            Thread.sleep(100);
        }
    }

    /** The minutes [from, from + n minutes), each by its start. */
    static List<Instant> minutes(Instant from, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> from.plus(i, ChronoUnit.MINUTES)).toList();
    }

    /** What these minutes of a rental that started in minute {@code first} cost per GPU at {@code dcPerHour} (Credits.minuteCharge). */
    static long cost(long dcPerHour, Instant first, List<Instant> minutes) {
        return minutes.stream().mapToLong(m -> Credits.minuteCharge(dcPerHour, (m.getEpochSecond() - first.getEpochSecond()) / 60 + 1)
                .value()).sum();
    }

    /** The ledger's postings for an order's minutes: key prefix market:order:<id>:. */
    static long postings(long orderId) {
        return MarketWorld.count("select count(*) from credits_posting where idempotency_key like 'market:order:" + orderId + ":gpu:%'");
    }

    /** The GPU's status, as pools' status job leaves it. */
    static void status(long gpuId, String status) {
        try (Connection c = MarketWorld.db(); PreparedStatement s = c.prepareStatement("update pools_gpu set status = ? where id = ?")) {
            s.setString(1, status);
            s.setLong(2, gpuId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The order's holds in time order, as GPU id → "lower/upper", for asserting where a hold went. */
    static Map<Long, String> holdsOf(long orderId) {
        Map<Long, String> holds = new java.util.LinkedHashMap<>();
        try (Connection c = MarketWorld.db(); PreparedStatement s = c.prepareStatement(
                "select gpu_id, lower(during), upper(during) from market_hold where order_id = ? order by lower(during)")) {
            s.setLong(1, orderId);
            try (var r = s.executeQuery()) {
                while (r.next()) {
                    holds.put(r.getLong(1), r.getObject(2, java.time.OffsetDateTime.class).toInstant() + "/"
                            + r.getObject(3, java.time.OffsetDateTime.class).toInstant());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return holds;
    }
}
