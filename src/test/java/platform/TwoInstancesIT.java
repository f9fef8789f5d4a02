package platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.TestWallet;
import io.restassured.http.ContentType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.http.HttpService;

/**
 * Two packaged app instances on one PostgreSQL and one chain: the first runs the embedded database
 * and chain, the second is started with {@code BC_DB_URL}, {@code BC_CHAIN_RPC} and the first one's
 * signer key. Work asked through either instance is done once: every mint relayed once with
 * contiguous nonces, every NFT mirrored once by event sync, every silent GPU marked offline once by
 * the pools job that both instances run, every (one-minute) epoch settled once.
 */
class TwoInstancesIT {

    private static final Pattern DB_PORT = Pattern.compile("Embedded PostgreSQL is running on port (\\d+)");
    private static final Pattern SETTLED = Pattern.compile("Epoch (\\d+) settled and committed in");
    private static final int MINTS_PER_INSTANCE = 16;
    private static final int OPERATORS_PER_INSTANCE = 3;
    private static final int SILENT_GPUS = 6;
    /** Both instances run the pools status job this often, so that they overlap within the test. */
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(1);

    @TempDir
    Path work;

    @Test
    void relayAndEventSyncActOnceWhateverInstanceWasAsked() throws Exception {
        String javaOpts = "-XX:+ExitOnOutOfMemoryError -Dbc.pools.status-interval=" + STATUS_INTERVAL.toSeconds() + "s";
        Map<String, String> firstEnv = Map.of("BC_DATA_DIR", work.resolve("first").toString(),
                "BC_ADMIN_WALLETS", TestWallet.ADMIN.address(), "JAVA_OPTS", javaOpts,
                "BC_EPOCH_LENGTH", "1m", "BC_SETTLEMENT_CLOSE_DELAY", "2s");
        try (PackagedApp first = new PackagedApp(work.resolve("first.log"), firstEnv).start().awaitReady()) {
            Matcher port = DB_PORT.matcher(first.log());
            assertThat(port.find()).as("the first instance says where its database listens").isTrue();
            String jdbcUrl = "jdbc:postgresql://localhost:" + port.group(1) + "/postgres";
            String rpc = given().baseUri(first.url()).get("/api/chain").then().statusCode(200).extract().path("rpc");
            String signerKey = Files.readString(work.resolve("first/chain/signer.key")).trim();

            Map<String, String> secondEnv = new HashMap<>();
            secondEnv.put("BC_DATA_DIR", work.resolve("second").toString());
            secondEnv.put("BC_ADMIN_WALLETS", TestWallet.ADMIN.address());
            secondEnv.put("JAVA_OPTS", javaOpts);
            secondEnv.put("BC_DB_URL", jdbcUrl);
            secondEnv.put("BC_DB_USER", "postgres");
            secondEnv.put("BC_DB_PASSWORD", "");
            secondEnv.put("BC_CHAIN_RPC", rpc);
            secondEnv.put("BC_CHAIN_SIGNER_KEY", signerKey);
            // replicas share the custody master keyset, as they share the signer key: the first made it
            secondEnv.put("BC_CUSTODY_MASTER_KEY", Files.readString(work.resolve("first").resolve("custody").resolve("master-key.json")));
            secondEnv.put("BC_EPOCH_LENGTH", "1m");
            secondEnv.put("BC_SETTLEMENT_CLOSE_DELAY", "2s");
            try (PackagedApp second = new PackagedApp(work.resolve("second.log"), secondEnv).start().awaitReady()) {
                List<PackagedApp> apps = List.of(first, second);
                String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
                String admin = signIn(TestWallet.ADMIN, first);

                // asked through both instances, interleaved; amounts are distinct powers of two, so the
                // balance on chain says exactly which mints happened
                for (int i = 0; i < 2 * MINTS_PER_INSTANCE; i++) {
                    PackagedApp app = apps.get(i % 2);
                    given().baseUri(app.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                            .body(Map.of("mints", List.of(Map.of("to", to, "amount", BigInteger.TWO.pow(i).toString(),
                                    "key", "two-" + i))))
                            .post("/api/admin/chain/token-mints").then().statusCode(202);
                }
                List<String> operators = new ArrayList<>();
                for (int i = 0; i < 2 * OPERATORS_PER_INSTANCE; i++) {
                    TestWallet wallet = TestWallet.random();
                    PackagedApp app = apps.get(i % 2);
                    Number id = given().baseUri(app.url()).auth().oauth2(signIn(wallet, app)).contentType(ContentType.JSON)
                            .body(Map.of("name", "Two instances " + i))
                            .post("/api/operators").then().statusCode(201).extract().path("id");
                    operators.add(id.toString());
                }

                try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
                    awaitSettled(db);
                    assertThat(count(db, "select count(*) from chain_outbox where status = 'FAILED'")).as("nothing failed").isZero();
                    assertThat(count(db, "select count(*) from chain_outbox where effect_key like 'treasury-mint:two-%'"))
                            .isEqualTo(2 * MINTS_PER_INSTANCE);
                    assertThat(count(db, "select count(distinct nonce) from chain_outbox"))
                            .as("every row its own nonce").isEqualTo(count(db, "select count(*) from chain_outbox"));
                    assertThat(count(db, "select max(nonce) - min(nonce) + 1 from chain_outbox"))
                            .as("nonces contiguous").isEqualTo(count(db, "select count(*) from chain_outbox"));
                    assertThat(count(db, "select count(*) from chain_nonce_fill")).as("no nonce had to be filled").isZero();

                    Web3j web3j = Web3j.build(new HttpService(rpc));
                    try {
                        assertThat(balance(web3j, given().baseUri(first.url()).get("/api/chain").then().extract()
                                .path("contracts.BerkeleyToken"), to))
                                .as("each mint made exactly once").isEqualTo(BigInteger.TWO.pow(2 * MINTS_PER_INSTANCE).subtract(BigInteger.ONE));
                        long chainNonce = web3j.ethGetTransactionCount(Credentials.create(signerKey).getAddress(),
                                DefaultBlockParameterName.LATEST).send().getTransactionCount().longValueExact();
                        assertThat(count(db, "select next_nonce from chain_signer")).as("the database's nonce is the chain's")
                                .isEqualTo(chainNonce);
                    } finally {
                        web3j.shutdown();
                    }

                    awaitEpochsSettled(db, 2);
                    assertThat(count(db, "select count(*) from credits_epoch where status in ('SETTLED', 'PUBLISHED') and settled_at is null"))
                            .isZero();
                    awaitMirrored(db, operators.size());
                    assertThat(count(db, "select count(*) from chain_token where kind = 'OPERATOR' and token_id in ("
                            + String.join(",", operators) + ")")).as("each operator NFT mirrored once").isEqualTo(operators.size());
                    for (String operator : operators) {
                        for (PackagedApp app : apps) {
                            given().baseUri(app.url()).get("/api/chain/tokens/operator/" + operator).then().statusCode(200);
                        }
                    }

                    List<Long> silent = silentActiveGpus(db, apps);
                    Thread.sleep(3 * STATUS_INTERVAL.toMillis()); // both instances' status jobs run several times
                    for (long gpu : silent) {
                        assertThat(count(db, "select count(*) from pools_gpu_event where gpu_id = " + gpu + " and to_status = 'OFFLINE'"))
                                .as("GPU %d marked offline once, however many instances run the job", gpu).isEqualTo(1);
                        assertThat(count(db, "select count(*) from pools_gpu where id = " + gpu + " and status = 'OFFLINE'")).isEqualTo(1);
                    }
                }
                for (PackagedApp app : apps) {
                    assertThat(app.log()).as("one leader relays and syncs: no refusals seen by the relay")
                            .doesNotContain("refused transaction").doesNotContain("was used by another transaction");
                }
                Map<String, Integer> settlements = new HashMap<>();
                for (PackagedApp app : apps) {
                    Matcher settled = SETTLED.matcher(app.log());
                    while (settled.find()) {
                        settlements.merge(settled.group(1), 1, Integer::sum);
                    }
                    assertThat(app.log()).as("no settlement round failed").doesNotContain("Settlement round failed");
                }
                assertThat(settlements).as("both instances run the settlement job; each epoch is settled by one of them, once")
                        .isNotEmpty().allSatisfy((epoch, times) -> assertThat(times).isEqualTo(1));
                assertThat(first.log().contains("now runs the chain relay") ^ second.log().contains("now runs the chain relay"))
                        .as("exactly one instance leads the chain worker").isTrue();
                second.stop();
            }
            first.stop();
        }
    }

    /**
     * GPUs registered through both instances and arranged (in the shared database) as active GPUs
     * whose last heartbeat is long past, so that the next status job of either instance finds them.
     */
    private static List<Long> silentActiveGpus(Connection db, List<PackagedApp> apps) throws Exception {
        TestWallet wallet = TestWallet.random();
        String token = signIn(wallet, apps.get(0));
        long operator = ((Number) given().baseUri(apps.get(0).url()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Silent GPUs")).post("/api/operators").then().statusCode(201).extract().path("id")).longValue();
        long pool = ((Number) given().baseUri(apps.get(0).url()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(ApiWorld.poolBody(operator, "SELF")).post("/api/pools").then().statusCode(201).extract().path("id")).longValue();
        List<Long> gpus = new ArrayList<>();
        for (int i = 0; i < SILENT_GPUS; i++) {
            gpus.add(((Number) given().baseUri(apps.get(i % 2).url()).auth().oauth2(token).contentType(ContentType.JSON)
                    .body(ApiWorld.gpuBody(operator, ApiWorld.newGpuUuid())).post("/api/pools/" + pool + "/gpus")
                    .then().statusCode(201).extract().path("id")).longValue());
        }
        try (Statement statement = db.createStatement()) {
            statement.executeUpdate("update pools_gpu set status = 'ACTIVE', last_heartbeat_at = now() - interval '1 hour'"
                    + " where pool_id = " + pool);
        }
        return gpus;
    }

    private static String signIn(TestWallet wallet, PackagedApp app) {
        io.restassured.RestAssured.port = app.port();
        return wallet.signIn();
    }

    /** Waits (up to two and a half minutes of one-minute epochs) until {@code epochs} epochs are settled. */
    private static void awaitEpochsSettled(Connection db, int epochs) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (count(db, "select count(*) from credits_epoch where status in ('SETTLED', 'PUBLISHED')") < epochs) {
            assertThat(System.nanoTime()).as(epochs + " epochs settled").isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static void awaitSettled(Connection db) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (count(db, "select count(*) from chain_outbox where status in ('PENDING', 'SENT')") > 0) {
            assertThat(System.nanoTime()).as("the outbox drains").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static void awaitMirrored(Connection db, int operators) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count(db, "select count(*) from chain_token t join chain_outbox o on o.kind = 'MintOperatorNft'"
                + " and o.tx_hash = t.minted_tx where t.kind = 'OPERATOR'") < operators) {
            assertThat(System.nanoTime()).as("event sync mirrors the operator NFTs").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static long count(Connection db, String sql) throws Exception {
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    @SuppressWarnings("rawtypes")
    private static BigInteger balance(Web3j web3j, String token, String holder) throws Exception {
        Function balanceOf = new Function("balanceOf", List.of(new Address(holder)), List.of(new TypeReference<Uint256>() { }));
        String value = web3j.ethCall(Transaction.createEthCallTransaction(null, token, FunctionEncoder.encode(balanceOf)),
                DefaultBlockParameterName.LATEST).send().getValue();
        List<org.web3j.abi.datatypes.Type> decoded = FunctionReturnDecoder.decode(value, balanceOf.getOutputParameters());
        return (BigInteger) decoded.get(0).getValue();
    }
}
