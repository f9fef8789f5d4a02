package credits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.TestChromium;
import accounts.TestWallet;
import accounts.WalletAddress;
import chain.AssetKind;
import chain.Chain;
import chain.ContractName;
import chain.contracts.BerkeleyToken;
import com.microsoft.playwright.Page;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import platform.Epochs;
import pools.TestPools;

/**
 * A GPU NFT holder claims its rewards on /my/earnings in headless Chromium: the page's Claim button
 * sends {@code EpochRewards.claim} from the injected wallet (a {@link TestWallet} whose transactions
 * go to the embedded anvil, see {@link BrowserBurnTest#injectChainWallet}); the holder's token
 * balance rises by exactly its entitlement, and the page then shows it claimed and nothing claimable.
 */
@QuarkusTest
@TestProfile(EpochSettlementTest.OneMinuteEpochs.class)
class BrowserClaimTest {

    private static TestChromium chromium;

    @TestHTTPResource("/")
    URL root;
    @Inject
    Chain chain;
    @Inject
    Epochs epochs;
    @Inject
    Ledger ledger;
    @Inject
    EpochSettlement settlement;
    @Inject
    SettlementConfig config;
    @Inject
    TestEpochs testEpochs;

    @BeforeAll
    static void launchChromium() {
        chromium = TestChromium.launch();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void aGpuHolderClaimsItsEntitlementWithTheClaimButton() throws Exception {
        TestPools.Op op = TestPools.operator();
        long pool = TestPools.createPool(op, "SELF");
        TestWallet holder = TestWallet.random();
        String address = holder.address().toLowerCase(Locale.ROOT);
        long gpu = TestPools.mintedGpu(op, pool, holder.address());
        TestEpochs.await("the NFTs on chain", () -> chain.token(AssetKind.GPU, BigInteger.valueOf(gpu)).isPresent()
                && chain.token(AssetKind.OPERATOR, BigInteger.valueOf(op.operatorId())).isPresent(), ok -> ok);

        // a settled epoch in which a customer rented the holder's GPU
        long epoch = testEpochs.nextUnsettled();
        Instant start = epochs.startOf(epoch);
        testEpochs.online(gpu, start, 60);
        WalletAddress customer = WalletAddress.of(TestWallet.random().address());
        String run = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> {
            ledger.mint("test-claim-card-" + run, MintSource.CARD, customer, DataCredits.of(5_000), "test purchase", run);
            ledger.burnFromBalance("test-claim-burn-" + run, customer, pool, gpu, start.plusSeconds(15), DataCredits.of(2_500), "minute 1");
        });
        EpochSettlement.GuardSetting configured = EpochSettlement.GuardSetting.of(config.selfDealingGuard());
        testEpochs.settleThrough(epoch, settlement, configured);
        TestEpochs.await("the root on chain", () -> {
            settlement.tick(epochs.endOf(epoch).plus(config.closeDelay()).plus(config.commitMargin()).plusSeconds(1), configured);
            return given().get("/api/epochs/" + epoch).then().extract().<String>path("status");
        }, "PUBLISHED"::equals);
        BigInteger entitlement = new BigInteger(given().get("/api/epochs/" + epoch + "/claims/" + address).then().statusCode(200)
                .extract().<String>path("cumulativeAmount"));
        assertThat(entitlement).isPositive();
        BerkeleyToken token = token();
        BigInteger before = token.balanceOf(address).send();
        testEpochs.fund(holder); // gas

        try (var context = chromium.newContext()) {
            Page page = context.newPage();
            BrowserBurnTest.injectChainWallet(page, holder, testEpochs.rpc());
            page.navigate(root + "signin?next=/my/earnings");
            page.click("#signin-button");
            page.waitForURL("**/my/earnings");
            assertThat(page.textContent("#claimable")).isEqualTo(TestEpochs.tokens(entitlement) + " tokens");
            assertThat(page.textContent("#claimed")).isEqualTo("0.00 tokens");

            page.click("#claim");
            // the page waits for the receipt, then reloads once the platform has read the claim from the chain
            page.waitForSelector("#claims", new Page.WaitForSelectorOptions().setTimeout(90_000));
            assertThat(token.balanceOf(address).send().subtract(before)).isEqualTo(entitlement);
            assertThat(page.textContent("#claimed")).isEqualTo(TestEpochs.tokens(entitlement) + " tokens");
            assertThat(page.textContent("#claimable")).isEqualTo("0.00 tokens");
            assertThat(page.querySelector("#claim")).as("no Claim button with nothing to claim").isNull();
            assertThat(page.textContent("#claims")).contains(TestEpochs.tokens(entitlement));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "browser-claim.png")).setFullPage(true));
        }
        assertThat(chain.claims(address)).hasSize(1);
        assertThat(chain.claims(address).get(0).cumulativeAmount()).isEqualTo(entitlement);
    }

    private BerkeleyToken token() {
        Web3j web3j = Web3j.build(new HttpService(testEpochs.rpc()));
        return BerkeleyToken.load(chain.contractAddress(ContractName.BerkeleyToken).orElseThrow(), web3j,
                Credentials.create(TestWallet.random().key()),
                new StaticEIP1559GasProvider(31337, BigInteger.valueOf(50_000_000_000L), BigInteger.ONE, BigInteger.valueOf(500_000)));
    }
}
