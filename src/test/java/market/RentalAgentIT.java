package market;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.TestWallet;
import accounts.WalletAddress;
import chain.contracts.BerkeleyToken;
import credits.BurnAccount;
import credits.PriceApiTest;
import credits.TestBurns;
import gpu.cli.FakeRuntime;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;
import platform.PackagedApp;
import pools.TestPools;

/**
 * A rental end to end on the packaged product ({@code bin/bc-server}, zero configuration but short
 * market timings) and the packaged node agent ({@code java -jar target/bc-cli.jar agent --runtime
 * exec:…}) as separate processes: an operator certifies and mints a GPU, a customer buys DCs by
 * burning tokens and rents the GPU on spot with a workload; the agent starts the workload when the
 * lease starts, reports it running, the customer is charged per minute it ran, and when a
 * reservation claims the GPU the spot rental gets its notice and the agent stops the workload when
 * the notice ends, after which nothing more is charged.
 */
class RentalAgentIT {

    private static final Duration NOTICE = Duration.ofSeconds(20);

    @TempDir
    Path work;

    @Test
    void theAgentRunsASpotRentalsWorkloadWhileItIsChargedPerMinuteAndStopsItOnPreemption() throws Exception {
        try (PackagedApp app = new PackagedApp(work.resolve("server.log"), Map.of(
                "BC_DATA_DIR", work.resolve("data").toString(),
                "BC_MARKET_PREEMPTION_NOTICE", NOTICE.toSeconds() + "s",
                "BC_MARKET_JOB_INTERVAL", "2s",
                "BC_ADMIN_WALLETS", TestWallet.ADMIN.address(),
                // the pretend H100 has no card to answer proof rounds: it certifies by its report (gpu.ProofSessionTest proves)
                "BC_GPU_PROOF_REQUIRED", "false")).start().awaitReady()) {
            RestAssured.port = app.port();
            PriceApiTest.setPriceOnChain("0.25"); // the admin's price, without which no burn mints DCs

            TestPools.Op operator = TestPools.operator();
            long poolId = TestPools.createPool(operator, "SELF");
            long gpuId = TestPools.mintedGpu(operator, poolId, operator.wallet().address());
            String uuid = given().get("/api/gpus/" + gpuId).then().statusCode(200).extract().path("gpu.uuid");
            await("the GPU's NFT minted", Duration.ofSeconds(60),
                    () -> "MINTED".equals(given().get("/api/gpus/" + gpuId).then().extract().path("gpu.status")));

            FakeRuntime runtime = FakeRuntime.in(Files.createDirectory(work.resolve("host")));
            Path agentLog = work.resolve("agent.log");
            Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    Path.of("target", "bc-cli.jar").toString(), "agent", "--server", app.url(), "--api-key", TestPools.apiKey(operator),
                    "--gpu", uuid, "--runtime", runtime.option())
                    .redirectErrorStream(true).redirectOutput(agentLog.toFile()).start();
            try {
                Customer customer = customerWithDcs(1_000_000);
                long orderId = given().auth().oauth2(customer.token()).header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(ContentType.JSON).body(Map.of("poolId", poolId, "kind", "SPOT", "gpus", 1,
                                "workload", Map.of("image", "ghcr.io/acme/train:1", "sshPublicKey", "ssh-ed25519 AAAAC3Nz me@laptop",
                                        "env", Map.of("GREETING", "hi"))))
                        .post("/api/market/orders").then().statusCode(201).extract().jsonPath().getLong("id");
                String leaseId = "order-" + orderId + "-gpu-" + gpuId;

                await("the agent starts the workload", Duration.ofSeconds(60), () -> runtime.state(leaseId).isPresent());
                assertThat(runtime.state(leaseId).orElseThrow()).startsWith("running")
                        .contains("kind=SPOT", "gpus=" + uuid, "image=ghcr.io/acme/train:1", "env_GREETING=hi");
                Instant startedBy = Instant.now();
                await("the workload reported running, with where to connect", Duration.ofSeconds(60), () -> {
                    JsonPath order = order(customer, orderId);
                    return "RUNNING".equals(order.getString("status")) && "gpu-host-1.example:2201".equals(order.getString("endpoint"));
                });

                long perMinute = order(customer, orderId).getLong("priceDc") / 60; // DC per hour of its one GPU
                await("minutes charged as they ran", Duration.ofSeconds(150), () -> order(customer, orderId).getLong("chargedMinutes") >= 1);
                JsonPath charged = order(customer, orderId);
                assertThat(charged.getLong("chargedDc")).as("charged per minute at the spot rate")
                        .isEqualTo(charged.getLong("chargedMinutes") * perMinute);

                // a reservation of this hour claims the only GPU: the spot rental gets its notice
                Instant thisHour = Instant.now().truncatedTo(ChronoUnit.HOURS);
                given().auth().oauth2(customerWithDcs(1_000_000).token()).header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(ContentType.JSON).body(Map.of("poolId", poolId, "kind", "RESERVED", "gpus", 1,
                                "start", thisHour.toString(), "end", thisHour.plus(1, ChronoUnit.HOURS).toString()))
                        .post("/api/market/orders").then().statusCode(201);
                JsonPath notice = order(customer, orderId);
                assertThat(notice.getString("status")).isEqualTo("PREEMPTING");
                Instant stopsAt = Instant.parse(notice.getString("notice.stopsAt"));
                assertThat(Duration.between(Instant.now(), stopsAt)).isBetween(NOTICE.minusSeconds(5), NOTICE);
                assertThat(runtime.state(leaseId).orElseThrow()).as("still running during the notice").startsWith("running");

                await("the agent stops the workload when the notice ends", Duration.ofSeconds(60),
                        () -> runtime.state(leaseId).orElseThrow().startsWith("stopped"));
                assertThat(Instant.now()).isAfterOrEqualTo(stopsAt);
                await("the order preempted", Duration.ofSeconds(30), () -> "PREEMPTED".equals(order(customer, orderId).getString("status")));

                // metered through the stop: the minutes charged are those from the start to the stop, no more
                await("metered through the stop", Duration.ofSeconds(150), () -> {
                    String through = order(customer, orderId).getString("meteredThrough");
                    return through != null && !Instant.parse(through).isBefore(stopsAt.truncatedTo(ChronoUnit.MINUTES));
                });
                JsonPath ended = order(customer, orderId);
                long ranMinutes = Duration.between(startedBy.truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.MINUTES), stopsAt)
                        .toMinutes() + 1;
                assertThat(ended.getLong("chargedMinutes")).isBetween(1L, ranMinutes);
                assertThat(ended.getLong("chargedDc")).isEqualTo(ended.getLong("chargedMinutes") * perMinute);
                assertThat(balance(customer)).isEqualTo(customer.dc() - ended.getLong("chargedDc"));
            } finally {
                agent.destroy();
                agent.waitFor(10, TimeUnit.SECONDS);
            }
            String agentOut = Files.readString(agentLog);
            assertThat(agentOut).contains("Workloads run with --runtime exec:", ": RUNNING at gpu-host-1.example:2201", ": STOPPED");
            app.stop();
        }
    }

    private record Customer(String token, long dc) {
    }

    /** A new wallet with the faucet's tokens, of which it burns enough for about {@code dc} DCs; its balance credited. */
    private Customer customerWithDcs(long dc) throws Exception {
        TestWallet wallet = TestWallet.random();
        String token = wallet.signIn();
        given().auth().oauth2(token).contentType(ContentType.JSON).post("/api/credits/faucet").then().statusCode(202);
        JsonPath chain = given().get("/api/chain").then().statusCode(200).extract().jsonPath();
        String rpc = chain.getString("rpc");
        Web3j web3j = Web3j.build(new HttpService(rpc));
        try {
            BerkeleyToken bct = BerkeleyToken.load(chain.getString("contracts.BerkeleyToken"), web3j,
                    new ReadonlyTransactionManager(web3j, wallet.address()), new DefaultGasProvider());
            await("the faucet's ether and tokens", Duration.ofSeconds(60), () -> {
                try {
                    return web3j.ethGetBalance(wallet.address(), DefaultBlockParameterName.LATEST).send().getBalance().signum() > 0
                            && bct.balanceOf(wallet.address()).send().signum() > 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            web3j.shutdown();
        }
        long perToken = given().contentType(ContentType.JSON).body(Map.of("tokens", BigInteger.TEN.pow(18).toString()))
                .post("/api/credits/quote").then().statusCode(200).extract().jsonPath().getLong("dc");
        BigInteger tokens = BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(dc / perToken + 1));
        long quoted = given().contentType(ContentType.JSON).body(Map.of("tokens", tokens.toString()))
                .post("/api/credits/quote").then().statusCode(200).extract().jsonPath().getLong("dc");
        byte[] account = Numeric.hexStringToByteArray(BurnAccount.of(WalletAddress.of(wallet.address())));
        TestBurns.burn(rpc, chain.getString("contracts.BerkeleyToken"), chain.getString("contracts.CreditsBurner"),
                Credentials.create(wallet.key()), tokens, account);
        Customer customer = new Customer(token, quoted);
        await("the burn credited", Duration.ofSeconds(60), () -> balance(customer) == quoted);
        return customer;
    }

    private static long balance(Customer customer) {
        return given().auth().oauth2(customer.token()).get("/api/credits/balance").then().statusCode(200).extract().jsonPath().getLong("dc");
    }

    private static JsonPath order(Customer customer, long id) {
        return given().auth().oauth2(customer.token()).get("/api/market/orders/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(250);
        }
    }
}
