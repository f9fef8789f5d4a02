package credits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accounts.TestWallet;
import accounts.WalletAddress;
import chain.AssetKind;
import chain.Chain;
import chain.ContractName;
import chain.contracts.BerkeleyToken;
import chain.contracts.EpochRewards;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;
import platform.Epochs;
import pools.TestPools;

/**
 * Settlement end to end with two-minute epochs: burns posted through the ledger, uptime, NFT
 * holders at the epoch's end on the embedded chain; the report recomputed by the simulator; every
 * payout claimed on chain with the API's proof, once; a late post rolls into the next epoch. The
 * job runs at the instants the test names; the chain's time is moved past an epoch's end with anvil.
 */
@QuarkusTest
@TestProfile(EpochSettlementTest.OneMinuteEpochs.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EpochSettlementTest {

    public static class OneMinuteEpochs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bc.epochs.length", "1m", "bc.settlement.close-delay", "1s", "bc.settlement.commit-margin", "1s");
        }
    }

    @Inject
    EpochSettlement settlement;
    @Inject
    Ledger ledger;
    @Inject
    Chain chain;
    @Inject
    Epochs epochs;
    @Inject
    SettlementConfig config;
    @Inject
    EntityManager em;
    @Inject
    ObjectMapper json;
    @Inject
    TestEpochs testEpochs;

    @Test
    @Order(1)
    void burnsAreSettledTheReportRecomputesAndEveryPayoutIsClaimedOnChainOnce() throws Exception {
        TestPools.Op op = TestPools.operator();
        long pool = TestPools.createPool(op, "SELF");
        TestWallet alice = TestWallet.random();
        TestWallet bob = TestWallet.random();
        long g1 = TestPools.mintedGpu(op, pool, alice.address());
        long g2 = TestPools.mintedGpu(op, pool, bob.address());
        await("the NFTs on chain", () -> chain.token(AssetKind.GPU, BigInteger.valueOf(g2)).isPresent()
                && chain.token(AssetKind.GPU, BigInteger.valueOf(g1)).isPresent()
                && chain.token(AssetKind.OPERATOR, BigInteger.valueOf(op.operatorId())).isPresent(), ok -> ok);

        long epoch = testEpochs.nextUnsettled();
        Instant start = epochs.startOf(epoch);
        Instant end = epochs.endOf(epoch);
        settlement.tick(Instant.now()); // the job sees the epoch under way

        testEpochs.online(g1, start, 60);
        testEpochs.online(g2, start, 30);
        WalletAddress customer = WalletAddress.of(TestWallet.random().address());
        String run = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> {
            ledger.mint("test-card-" + run, MintSource.CARD, customer, DataCredits.of(10_000), "test purchase", run);
            ledger.burnFromBalance("test-burn-1-" + run, customer, pool, g1, start.plusSeconds(10), DataCredits.of(3_000), "minute 1");
            ledger.burnFromBalance("test-burn-2-" + run, customer, pool, g1, start.plusSeconds(40), DataCredits.of(1_000), "second half-minute");
            ledger.burnFromBalance("test-burn-3-" + run, customer, pool, g2, start.plusSeconds(20), DataCredits.of(2_000), "minute 1");
        });

        // The ledger stamps posts with the real time: wait (under a minute) for the epoch to end
        // and its delay to pass, then settle at the real time. (It runs first: the other test moves the
        // chain's time past an epoch ahead of the real time, which this one would then have to wait for.)
        Instant due = end.plus(config.closeDelay()).plus(config.commitMargin()).plusMillis(200);
        while (Instant.now().isBefore(due)) {
            Thread.sleep(Math.max(1, Math.min(1_000, Duration.between(Instant.now(), due).toMillis())));
        }
        testEpochs.chainTimePast(end);
        Instant settleAt = Instant.now();
        settlement.tick(settleAt);

        JsonNode report = json.readTree(given().get("/api/epochs/" + epoch).then().statusCode(200).extract().asString());
        assertThat(report.get("status").asText()).isIn("SETTLED", "PUBLISHED");
        Map<String, JsonNode> gpus = gpusOf(report.get("inputs"), pool);
        assertThat(gpus.keySet()).containsExactlyInAnyOrder(Long.toString(g1), Long.toString(g2));
        assertThat(gpus.get(Long.toString(g1)).get("dcConsumed").asLong()).isEqualTo(4_000);
        assertThat(gpus.get(Long.toString(g1)).get("onlineSeconds").asLong()).isEqualTo(60);
        assertThat(gpus.get(Long.toString(g1)).get("holder").asText()).isEqualTo(alice.address().toLowerCase());
        assertThat(gpus.get(Long.toString(g2)).get("dcConsumed").asLong()).isEqualTo(2_000);
        assertThat(gpus.get(Long.toString(g2)).get("onlineSeconds").asLong()).isEqualTo(30);

        // Anyone recomputes the result from the published inputs, and the digest from their canonical form.
        String simulated = given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(report.get("inputs").toString())
                .post("/api/epochs/simulate").then().statusCode(200).extract().asString();
        assertThat(json.readTree(simulated)).isEqualTo(report.get("result"));
        assertThat(report.get("inputsDigest").asText()).isEqualTo(EpochSettlement.sha256(EpochSettlement.canonical(report.get("inputs"))));

        await("the root on chain", () -> {
            settlement.tick(settleAt);
            return given().get("/api/epochs/" + epoch).then().extract().path("status");
        }, "PUBLISHED"::equals);
        String rootTx = given().get("/api/epochs/" + epoch).then().extract().path("rootTx");
        assertThat(rootTx).startsWith("0x");

        Web3j web3j = Web3j.build(new HttpService(rpc()));
        Map<String, TestWallet> wallets = Map.of(alice.address().toLowerCase(), alice, bob.address().toLowerCase(), bob,
                op.wallet().address().toLowerCase(), op.wallet());
        Map<String, BigInteger> paid = new HashMap<>();
        for (JsonNode payout : report.get("result").get("payouts")) {
            paid.put(payout.get("holder").asText(), new BigInteger(payout.get("amount").asText()));
        }
        assertThat(paid.keySet()).contains(alice.address().toLowerCase(), bob.address().toLowerCase(), op.wallet().address().toLowerCase());
        for (Map.Entry<String, TestWallet> holder : wallets.entrySet()) {
            JsonNode claim = json.readTree(given().get("/api/epochs/" + epoch + "/claims/" + holder.getKey())
                    .then().statusCode(200).extract().asString());
            assertThat(new BigInteger(claim.get("cumulativeAmount").asText())).isEqualTo(paid.get(holder.getKey()));
            EpochRewards rewards = rewards(web3j, holder.getValue());
            List<byte[]> proof = new java.util.ArrayList<>();
            claim.get("proof").forEach(p -> proof.add(Numeric.hexStringToByteArray(p.asText())));
            rewards.claim(BigInteger.valueOf(epoch), holder.getKey(), paid.get(holder.getKey()), proof).send();
            assertThat(token(web3j).balanceOf(holder.getKey()).send()).isEqualTo(paid.get(holder.getKey()));
            assertThatThrownBy(() -> rewards.claim(BigInteger.valueOf(epoch), holder.getKey(), paid.get(holder.getKey()), proof).send())
                    .as("a second claim pays nothing").isNotNull();
            assertThat(token(web3j).balanceOf(holder.getKey()).send()).isEqualTo(paid.get(holder.getKey()));
        }
        await("the claims mirrored", () -> chain.claims(alice.address()).size(), n -> n == 1);
        assertThat(chain.claims(alice.address()).get(0).cumulativeAmount()).isEqualTo(paid.get(alice.address().toLowerCase()));

        // The pages: the explorer, the epoch, the GPU NFT's public earnings (its metadata links there), the holder's earnings.
        given().get("/epochs").then().statusCode(200).body(org.hamcrest.Matchers.containsString("href=\"/epochs/" + epoch + "\""))
                .body(org.hamcrest.Matchers.containsString("<svg class=\"chart minted\""));
        given().get("/epochs/" + epoch).then().statusCode(200).body(org.hamcrest.Matchers.containsString(rootTx))
                .body(org.hamcrest.Matchers.containsString("href=\"/gpus/" + g1 + "\""));
        given().get("/gpus/" + g1).then().statusCode(200).body(org.hamcrest.Matchers.containsString(alice.address().toLowerCase()));
        given().get("/api/chain/metadata/gpu/" + g1).then().statusCode(200)
                .body("external_url", org.hamcrest.Matchers.endsWith("/gpus/" + g1));
        String aliceToken = alice.signIn();
        given().auth().oauth2(aliceToken).get("/my/earnings").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("href=\"/gpus/" + g1 + "\""))
                .body(org.hamcrest.Matchers.containsString("id=\"claims\""));

        // A burn of the settled epoch posted late rolls into the next epoch, once.
        QuarkusTransaction.requiringNew().run(() ->
                ledger.burnFromBalance("test-burn-late-" + run, customer, pool, g2, start.plusSeconds(50), DataCredits.of(500), "late"));
        Instant nextEnd = epochs.endOf(epoch + 1);
        testEpochs.chainTimePast(nextEnd);
        // No post follows, so the job may run at an instant after the next epoch (the chain's time moved there).
        settlement.tick(nextEnd.plus(config.closeDelay()).plus(config.commitMargin()).plusSeconds(1));
        JsonNode next = json.readTree(given().get("/api/epochs/" + (epoch + 1)).then().statusCode(200).extract().asString());
        Map<String, JsonNode> nextGpus = gpusOf(next.get("inputs"), pool);
        assertThat(nextGpus.get(Long.toString(g2)).get("dcConsumed").asLong()).isEqualTo(500);
        assertThat(nextGpus.get(Long.toString(g1)).get("dcConsumed").asLong()).isZero();
        JsonNode again = json.readTree(given().get("/api/epochs/" + epoch).then().extract().asString());
        assertThat(again.get("inputs")).as("a settled epoch never changes").isEqualTo(report.get("inputs"));
    }

    /**
     * The self-dealing guard on (as a setting given to the job, not a profile of its own): an operator
     * buys DCs and spends them renting its own GPU in its own pool, the only consumption of the epoch,
     * so its share would be the whole emission; the guard caps it at maxRewardBps of the DCs' USD value
     * at the oracle's price, the guard is in the published inputs, the simulator gives the same result,
     * and the epoch page shows the cap.
     */
    @Test
    @Order(2)
    void aPoolRentingItsOwnGpusIsCappedByTheGuardAndTheReportRecomputes() throws Exception {
        PriceApiTest.setPriceOnChain("0.25");
        TestPools.Op op = TestPools.operator();
        long pool = TestPools.createPool(op, "SELF");
        long gpu = TestPools.mintedGpu(op, pool, op.wallet().address());
        await("the NFTs on chain", () -> chain.token(AssetKind.GPU, BigInteger.valueOf(gpu)).isPresent()
                && chain.token(AssetKind.OPERATOR, BigInteger.valueOf(op.operatorId())).isPresent(), ok -> ok);

        long epoch = testEpochs.nextUnsettled();
        Instant start = epochs.startOf(epoch);
        testEpochs.online(gpu, start, 60);
        WalletAddress self = WalletAddress.of(op.wallet().address());
        String run = UUID.randomUUID().toString();
        long dc = 4_000;
        QuarkusTransaction.requiringNew().run(() -> {
            ledger.mint("test-self-card-" + run, MintSource.CARD, self, DataCredits.of(dc), "the operator buys credits", run);
            ledger.burnFromBalance("test-self-burn-" + run, self, pool, gpu, start.plusSeconds(30), DataCredits.of(dc), "renting its own GPU");
        });
        long maxRewardBps = 5_000;
        testEpochs.settleThrough(epoch, settlement, new EpochSettlement.GuardSetting(true, maxRewardBps));

        JsonNode report = json.readTree(given().get("/api/epochs/" + epoch).then().statusCode(200).extract().asString());
        JsonNode guard = report.get("inputs").get("guard");
        assertThat(guard.get("maxRewardBps").asLong()).isEqualTo(maxRewardBps);
        long priceE8 = guard.get("tokenPriceE8").asLong();
        assertThat(priceE8).isEqualTo(25_000_000L);
        assertThat(report.get("result").get("totalDc").asLong()).as("the pool's rental is the epoch's only consumption").isEqualTo(dc);

        // the cap: 4,000 DC are worth 0.04 USD; half of that is 0.02 USD, 0.08 tokens at 0.25 USD
        BigInteger cap = BigInteger.valueOf(dc).multiply(BigInteger.valueOf(maxRewardBps)).multiply(BigInteger.TEN.pow(21))
                .divide(BigInteger.valueOf(10_000L * priceE8));
        assertThat(cap).isEqualTo(new BigInteger("80000000000000000"));
        JsonNode result = poolOf(report.get("result"), pool);
        BigInteger emission = new BigInteger(report.get("inputs").get("emission").asText());
        assertThat(new BigInteger(result.get("allocation").asText())).isEqualTo(cap);
        assertThat(new BigInteger(result.get("capped").asText())).isEqualTo(emission.subtract(cap)).isPositive();
        BigInteger paidToSelf = BigInteger.ZERO;
        for (JsonNode payout : report.get("result").get("payouts")) {
            if (payout.get("holder").asText().equals(self.value())) {
                paidToSelf = paidToSelf.add(new BigInteger(payout.get("amount").asText()));
            }
        }
        assertThat(paidToSelf).as("renting its own GPU never earns more than the cap").isPositive().isLessThanOrEqualTo(cap);

        String simulated = given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(report.get("inputs").toString())
                .post("/api/epochs/simulate").then().statusCode(200).extract().asString();
        assertThat(json.readTree(simulated)).isEqualTo(report.get("result"));
        assertThat(report.get("inputsDigest").asText()).isEqualTo(EpochSettlement.sha256(EpochSettlement.canonical(report.get("inputs"))));

        String page = given().get("/epochs/" + epoch).then().statusCode(200).extract().asString();
        assertThat(page).contains("<dd id=\"guard\">on: a pool&#39;s rewards are worth at most 50.00 % of the USD value of the Data Credits"
                + " it consumed, tokens valued at 0.25 USD</dd>");
        String row = page.substring(page.indexOf("<tr><td><a href=\"/pools/" + pool + "\">"));
        row = row.substring(0, row.indexOf("</tr>"));
        assertThat(row).contains("<td class=\"capped\">by " + TestEpochs.tokens(emission.subtract(cap)) + " tokens</td>")
                .contains("<td>" + TestEpochs.tokens(cap) + "</td>");
    }

    private static JsonNode poolOf(JsonNode result, long poolId) {
        for (JsonNode pool : result.get("pools")) {
            if (pool.get("id").asText().equals(Long.toString(poolId))) {
                return pool;
            }
        }
        throw new AssertionError("pool " + poolId + " is not in " + result);
    }

    private static Map<String, JsonNode> gpusOf(JsonNode inputs, long poolId) {
        Map<String, JsonNode> gpus = new HashMap<>();
        for (JsonNode pool : inputs.get("pools")) {
            if (pool.get("id").asText().equals(Long.toString(poolId))) {
                pool.get("gpus").forEach(g -> gpus.put(g.get("id").asText(), g));
            }
        }
        return gpus;
    }

    private String rpc() {
        return testEpochs.rpc();
    }

    private EpochRewards rewards(Web3j web3j, TestWallet wallet) throws Exception {
        Credentials credentials = Credentials.create(wallet.key());
        new Request<>("anvil_setBalance", List.of(credentials.getAddress(), "0xde0b6b3a7640000"), new HttpService(rpc()),
                TestEpochs.AnyResponse.class).send();
        return EpochRewards.load(chain.contractAddress(ContractName.EpochRewards).orElseThrow(), web3j,
                new RawTransactionManager(web3j, credentials, 31337, new PollingTransactionReceiptProcessor(web3j, 50, 400)),
                new StaticEIP1559GasProvider(31337, BigInteger.valueOf(50_000_000_000L), BigInteger.ONE, BigInteger.valueOf(500_000)));
    }

    private BerkeleyToken token(Web3j web3j) {
        return BerkeleyToken.load(chain.contractAddress(ContractName.BerkeleyToken).orElseThrow(), web3j,
                Credentials.create(TestWallet.random().key()),
                new StaticEIP1559GasProvider(31337, BigInteger.valueOf(50_000_000_000L), BigInteger.ONE, BigInteger.valueOf(500_000)));
    }

    private static <T> T await(String what, Supplier<T> read, Predicate<T> done) throws InterruptedException {
        return TestEpochs.await(what, read, done);
    }
}
