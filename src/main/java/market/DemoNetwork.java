package market;

import accounts.Caller;
import accounts.WalletAddress;
import credits.Credits;
import credits.DataCredits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import platform.DomainException;
import platform.PlatformConfig;
import pools.GpuRegistration;
import pools.GpuView;
import pools.HeartbeatReceipt;
import pools.LeaseSource;
import pools.MemberPolicy;
import pools.MintRequest;
import pools.PoolMode;
import pools.PoolSpec;
import pools.PoolView;
import pools.Pools;
import pools.Prices;
import pools.RewardShares;
import pools.Workload;
import pools.WorkloadReport;
import pools.WorkloadState;

/**
 * Demo mode ({@code bc.demo.enabled}, env {@code BC_DEMO}): a network a newcomer can try. On the
 * first start it seeds operators, pools of each mode and several GPU models, and GPUs with demo
 * certificates whose NFTs it mints (through the pools facade, as an operator would: a demo
 * certificate is valid only in demo mode); then, as simulated node agents inside the server, it
 * sends each operator's heartbeats and reports the workloads of the market's leases as running,
 * through the pools facade as the real agent does over HTTP. Once the demo GPUs are in service,
 * demo customers with DEMO credits (a ledger source that exists only in demo mode) rent some of
 * them through the market: reservations, on-demand and spot rentals that the simulated agents run
 * and metering charges, so the pages show a network in use.
 *
 * <p>It lives in the market module because seeding needs pools, the chain and accounts, which the
 * platform may not use (platform.ArchitectureTest); the gpu module's demo certificates come through
 * pools ({@link Pools#registerDemoGpu}). Seeding happens once: in one transaction that holds a
 * PostgreSQL advisory lock (replicas starting together wait for each other) and writes the marker
 * row {@code market_demo} (V63); a replica that finds the row seeds nothing.
 */
@ApplicationScoped
class DemoNetwork {

    private static final Logger LOG = Logger.getLogger(DemoNetwork.class);
    /** "bcdemo": the advisory lock replicas take to seed, and to run the simulated agents. */
    static final long LOCK_KEY = 0x6263_6465_6d6fL;

    /** A demo pool: its GPUs are {@code gpus} of {@code modelId}, priced per hour in DC. */
    record DemoPool(String name, PoolMode mode, String modelId, String region, int gpus, long spotDc, long onDemandDc,
                    long reserved30Dc) {
    }

    /** A demo operator and its pools. */
    record DemoOperator(String name, List<DemoPool> pools) {
        WalletAddress wallet() {
            return demoWallet(name);
        }

        Caller caller() {
            return new Caller(wallet(), Set.of(Caller.CUSTOMER));
        }
    }

    /**
     * A demo customer: DEMO credits of {@code dc}, and its rentals of the demo pools, placed once the
     * demo GPUs are in service (their use shows on the marketplace, the operators' allocation charts,
     * the metering and the epochs' consumption).
     */
    record DemoCustomer(String name, long dc, List<DemoOrder> orders) {
        WalletAddress wallet() {
            return demoWallet(name);
        }

        Caller caller() {
            return new Caller(wallet(), Set.of(Caller.CUSTOMER));
        }
    }

    /** A rental of {@code gpus} GPUs of the demo pool named {@code pool}; a reservation from {@code startHour} hours after the hour of placing, for {@code hours}. */
    record DemoOrder(String pool, OrderKind kind, int gpus, int startHour, int hours) {
        OrderRequest request(long poolId, Instant now) {
            Workload workload = new Workload("ghcr.io/berkeley-compute/demo-notebook:1", null, Map.of("DEMO", "true"));
            if (kind != OrderKind.RESERVED) {
                return new OrderRequest(poolId, kind, gpus, null, null, workload);
            }
            Instant start = now.truncatedTo(ChronoUnit.HOURS).plus(startHour, ChronoUnit.HOURS);
            return new OrderRequest(poolId, kind, gpus, start, start.plus(hours, ChronoUnit.HOURS), workload);
        }
    }

    /** A demo party's wallet, the same on every start (no key: nobody signs in as it). */
    static WalletAddress demoWallet(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("bc-demo:" + name).getBytes(StandardCharsets.UTF_8));
            return WalletAddress.of("0x" + HexFormat.of().formatHex(hash, 0, 20));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final List<DemoOperator> OPERATORS = List.of(
            new DemoOperator("Demo Compute Co.", List.of(
                    new DemoPool("Demo H100 cluster", PoolMode.SELF, "h100-sxm", "eu-central", 8, 120_000, 200_000, 180_000),
                    new DemoPool("Demo A100 rack", PoolMode.SELF, "a100-80gb", "us-east", 4, 60_000, 110_000, 95_000))),
            new DemoOperator("Demo Data Center", List.of(
                    new DemoPool("Demo H100 PCIe hall", PoolMode.SINGLE_SOURCE, "h100-pcie", "us-west", 6, 100_000, 170_000, 150_000))),
            new DemoOperator("Demo Gamers Collective", List.of(
                    new DemoPool("Demo RTX 4090 collective", PoolMode.DISTRIBUTED, "rtx-4090", "ap-south", 6, 25_000, 45_000, 38_000))));

    static final List<DemoCustomer> CUSTOMERS = List.of(
            new DemoCustomer("Demo Research Lab", 100_000_000, List.of(
                    new DemoOrder("Demo H100 cluster", OrderKind.RESERVED, 4, 0, 24),
                    new DemoOrder("Demo H100 PCIe hall", OrderKind.ON_DEMAND, 2, 0, 0))),
            new DemoCustomer("Demo AI Startup", 50_000_000, List.of(
                    new DemoOrder("Demo H100 cluster", OrderKind.SPOT, 2, 0, 0),
                    new DemoOrder("Demo RTX 4090 collective", OrderKind.RESERVED, 3, 1, 8))),
            new DemoCustomer("Demo Student", 5_000_000, List.of(
                    new DemoOrder("Demo A100 rack", OrderKind.SPOT, 1, 0, 0),
                    new DemoOrder("Demo RTX 4090 collective", OrderKind.SPOT, 1, 0, 0))));

    private final Pools pools;
    private final Market market;
    private final Credits credits;
    private final PlatformConfig platform;
    private final EntityManager em;
    private final Clock clock;

    DemoNetwork(Pools pools, Market market, Credits credits, PlatformConfig platform, EntityManager em, Clock clock) {
        this.pools = pools;
        this.market = market;
        this.credits = credits;
        this.platform = platform;
        this.em = em;
        this.clock = clock;
    }

    /** A demo GPU's UUID, the same on every start. */
    static String gpuUuid(DemoPool pool, int i) {
        return "GPU-" + UUID.nameUUIDFromBytes(("bc-demo:" + pool.name() + ":" + i).getBytes(StandardCharsets.UTF_8));
    }

    @Scheduled(every = "${bc.pools.heartbeat-interval:30s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!platform.demo().enabled()) {
            return;
        }
        try {
            seedOnce();
            agents(clock.instant());
            placeOrdersOnce(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("Demo network: " + e.getMessage(), e);
        }
    }

    /** Seeds the network unless the marker row says it was; true when this call seeded it. */
    boolean seedOnce() {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, LOCK_KEY).getSingleResult();
            if (((Number) em.createNativeQuery("select count(*) from market_demo").getSingleResult()).longValue() > 0) {
                return false;
            }
            int poolCount = 0;
            int gpuCount = 0;
            for (DemoOperator demo : OPERATORS) {
                Caller caller = demo.caller();
                long operatorId = pools.becomeOperator(caller, demo.name()).id();
                for (DemoPool p : demo.pools()) {
                    long poolId = pools.createPool(caller, new PoolSpec(operatorId, p.name(), p.mode(), p.modelId(), p.region(),
                            new Prices(p.spotDc(), p.onDemandDc(), List.of(new Prices.ReservedPrice(30, p.reserved30Dc()))),
                            new RewardShares(1_000, 6_000, 3_000), Duration.ofHours(72),
                            new MemberPolicy(9_500, Duration.ofHours(24), 3, Duration.ofHours(24)))).id();
                    poolCount++;
                    for (int i = 0; i < p.gpus(); i++) {
                        GpuView gpu = pools.registerDemoGpu(caller, poolId, new GpuRegistration(operatorId,
                                "demo-host-" + poolId + "-" + (i / 4) + ".example", "DEMO-" + poolId + "-" + i, gpuUuid(p, i)));
                        pools.mintGpu(caller, gpu.id(), new MintRequest(demo.wallet().value(), LocalDate.of(2025, 1, 10),
                                LocalDate.of(2025, 2, 1), "https://example.com/demo/hosting", "https://example.com/demo/ownership"));
                        gpuCount++;
                    }
                }
            }
            em.createNativeQuery("insert into market_demo (id, seeded_at, operators, pools, gpus) values (1, ?1, ?2, ?3, ?4)")
                    .setParameter(1, clock.instant()).setParameter(2, OPERATORS.size()).setParameter(3, poolCount)
                    .setParameter(4, gpuCount).executeUpdate();
            LOG.infof("Demo network seeded: %d operators, %d pools, %d GPUs with demo certificates", OPERATORS.size(), poolCount, gpuCount);
            return true;
        });
    }

    /**
     * Once the demo GPUs are all in service (their NFTs confirmed on chain), gives each demo customer
     * its DEMO credits and places its orders through the market, as a customer would; then marks
     * them placed. True when this call placed them. Each grant and order has a fixed key, so a
     * replica that does the same at the same time, or a retry after a crash between them, places
     * nothing twice; a reservation retried in a later hour asks for another window under the same
     * key, is refused as a conflict and is left out.
     */
    boolean placeOrdersOnce(Instant now) {
        if (QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from market_demo where orders_seeded_at is null").getSingleResult()).longValue() == 0)) {
            return false;
        }
        Map<String, Long> poolIds = new HashMap<>();
        for (DemoOperator demo : OPERATORS) {
            for (PoolView pool : pools.poolsOf(demo.wallet())) {
                DemoPool spec = demo.pools().stream().filter(p -> p.name().equals(pool.name())).findFirst().orElse(null);
                if (spec == null || pools.gpusInService(pool.id()).size() < spec.gpus()) {
                    return false; // not all minted yet: the next tick tries again
                }
                poolIds.put(pool.name(), pool.id());
            }
        }
        int placed = 0;
        for (DemoCustomer customer : CUSTOMERS) {
            QuarkusTransaction.requiringNew().run(() -> credits.grantDemoCredits("demo:credits:" + customer.name(), customer.wallet(),
                    DataCredits.of(customer.dc())));
            for (int i = 0; i < customer.orders().size(); i++) {
                DemoOrder order = customer.orders().get(i);
                try {
                    market.order(customer.caller(), "demo-order-" + i, order.request(poolIds.get(order.pool()), now));
                    placed++;
                } catch (DomainException e) {
                    LOG.warnf("Demo network: %s's order %d on %s not placed: %s", customer.name(), i, order.pool(), e.getMessage());
                }
            }
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update market_demo set orders_seeded_at = ?1")
                .setParameter(1, now).executeUpdate());
        LOG.infof("Demo network: %d demo customers placed %d orders", CUSTOMERS.size(), placed);
        return true;
    }

    /**
     * The simulated node agents: for each demo operator, one heartbeat for its GPUs, with every
     * lease of the feed that has started reported RUNNING (as {@code bc-cli agent} does once its
     * container runs), at an endpoint of its demo host. One replica at a time (the advisory lock).
     */
    void agents(Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (!(Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)").setParameter(1, LOCK_KEY).getSingleResult()) {
                return;
            }
            for (DemoOperator demo : OPERATORS) {
                Caller caller = demo.caller();
                List<String> uuids = new ArrayList<>();
                demo.pools().forEach(p -> {
                    for (int i = 0; i < p.gpus(); i++) {
                        uuids.add(gpuUuid(p, i));
                    }
                });
                List<WorkloadReport> reports = new ArrayList<>();
                for (LeaseSource.Lease lease : pools.leases(caller, now)) {
                    if (!lease.start().isAfter(now)) {
                        reports.add(new WorkloadReport(lease.leaseId(), WorkloadState.RUNNING, null,
                                "demo-agent.example:" + (2200 + reports.size())));
                    }
                }
                HeartbeatReceipt receipt = pools.heartbeat(caller, uuids, reports);
                LOG.debugf("Demo agent of %s: %s", demo.name(), receipt);
            }
        });
    }
}
