package chain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import accounts.TestPasskeys;
import accounts.TestWallet;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/**
 * The rules of what the platform signs for a passkey account's managed wallet, through the JSON
 * API on the real chain: an approval of the marketplace's own contract is accepted, logged and
 * signed; an approval of anyone else, a function it does not sign, a call the contract would
 * revert, a withdrawal without a linked wallet and a wallet account are refused, each with a
 * message; past bc.custody.acts-per-hour the next act is a 429. A withdrawal takes the wallet's tokens to its
 * linked wallet, and waits (429) while bc.custody.withdrawals-per-day are used up.
 */
@QuarkusTest
class WalletActsTest {

    @Inject
    Chain chain;

    @Inject
    AgroalDataSource dataSource;

    private static String word(String hex) {
        return "0".repeat(64 - hex.length()) + hex;
    }

    private static String call(String signature, String... words) {
        StringBuilder data = new StringBuilder("0x").append(Hash.sha3String(signature), 2, 10);
        for (String w : words) {
            data.append(word(w));
        }
        return data.toString();
    }

    private static ValidatableResponse ask(String token, String to, String data) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("to", to, "data", data))
                .post("/api/wallet/acts").then();
    }

    @Test
    void thePlatformSignsOnlyWhatTheRulesAllowAndNoMoreThanTheHourlyLimit() throws Exception {
        TestPasskeys.Account account = TestPasskeys.create();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (chain.contractAddress(ContractName.SlotMarket).isEmpty()) {
            assertThat(System.nanoTime()).as("the contracts deployed").isLessThan(deadline);
            Thread.sleep(100);
        }
        String token = chain.contractAddress(ContractName.BerkeleyToken).orElseThrow();
        String market = chain.contractAddress(ContractName.SlotMarket).orElseThrow();
        String slots = chain.contractAddress(ContractName.TimeSlotNFT).orElseThrow();

        String key = ask(account.token(), token, call("approve(address,uint256)", market.substring(2), "1")).statusCode(202)
                .body("act", equalTo("APPROVE")).body("status", equalTo("PENDING"))
                .body("description", equalTo("approve(spender " + market + ", amount 1) on BerkeleyToken")).extract().path("key");
        String status;
        do {
            Thread.sleep(200);
            status = given().auth().oauth2(account.token()).get("/api/wallet/acts/" + key).then().statusCode(200).extract().path("status");
            assertThat(System.nanoTime()).as("the approval signed and confirmed (gas topped up first)").isLessThan(deadline);
        } while (!status.equals("CONFIRMED"));
        given().auth().oauth2(account.token()).get("/api/wallet/acts").then().statusCode(200).body("[0].key", equalTo(key));

        ask(account.token(), token, call("approve(address,uint256)", TestWallet.random().address().substring(2), "1")).statusCode(403)
                .body("detail", containsString("approves only the marketplace's own contracts"));
        ask(account.token(), token, call("mint(address,uint256)", account.address().substring(2), "1")).statusCode(400)
                .body("detail", containsString("does not sign"));
        ask(account.token(), slots, call("splitAt(uint256,uint64)", "7777", "e10")).statusCode(409)
                .body("detail", containsString("The contract refuses splitAt(uint256,uint64)"));
        ask(account.token(), "0x" + "12".repeat(20), call("approve(address,uint256)", market.substring(2), "1")).statusCode(400)
                .body("detail", containsString("not one of the marketplace's contracts"));
        given().auth().oauth2(account.token()).contentType(ContentType.JSON).post("/api/wallet/withdrawal").then().statusCode(409)
                .body("detail", containsString("Link a wallet first"));
        String walletAccount = TestWallet.random().signIn();
        ask(walletAccount, token, call("approve(address,uint256)", market.substring(2), "1")).statusCode(403)
                .body("detail", containsString("wallet account"));

        // an hour's worth of acts already (the limit in configuration is 60): the next one is refused
        fill(account.address(), "APPROVE", 60);
        ask(account.token(), token, call("approve(address,uint256)", market.substring(2), "2")).statusCode(429)
                .body("detail", containsString("bc.custody.acts-per-hour"));
    }

    @Test
    void aWithdrawalTakesTheTokensToTheLinkedWalletWithinTheDailyLimit() throws Exception {
        TestPasskeys.Account account = TestPasskeys.create();
        given().auth().oauth2(account.token()).contentType(ContentType.JSON).post("/api/credits/faucet").then().statusCode(202);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (chain.tokenBalance(account.address()).orElse(BigInteger.ZERO).signum() == 0) {
            assertThat(System.nanoTime()).as("the faucet's tokens in the managed wallet").isLessThan(deadline);
            Thread.sleep(200);
        }
        BigInteger tokens = chain.tokenBalance(account.address()).orElseThrow();
        String own = TestWallet.random().address().toLowerCase(java.util.Locale.ROOT);
        try (Connection c = dataSource.getConnection(); PreparedStatement link = c.prepareStatement(
                "insert into accounts_linked_wallet (wallet, account, linked_at) values (?, ?, ?)")) {
            link.setString(1, own);
            link.setString(2, account.address());
            link.setTimestamp(3, Timestamp.from(Instant.now().minus(java.time.Duration.ofDays(2)))); // linked long ago
            link.executeUpdate();
        }
        // 50 assets withdrawn in the last 24 hours already (the limit): the tokens wait
        fill(account.address(), "WITHDRAWAL", 50);
        given().auth().oauth2(account.token()).contentType(ContentType.JSON).post("/api/wallet/withdrawal").then().statusCode(429)
                .body("detail", containsString("bc.custody.withdrawals-per-day"));
        try (Connection c = dataSource.getConnection(); PreparedStatement clear = c.prepareStatement(
                "delete from chain_outbox where sender = ? and description = 'limit test'")) {
            clear.setString(1, account.address());
            clear.executeUpdate();
        }
        String key = given().auth().oauth2(account.token()).contentType(ContentType.JSON).post("/api/wallet/withdrawal").then()
                .statusCode(202).body("[0].act", equalTo("WITHDRAWAL")).extract().path("[0].key");
        while (chain.tokenBalance(own).orElse(BigInteger.ZERO).compareTo(tokens) < 0) {
            assertThat(System.nanoTime()).as("the tokens in the linked wallet (act %s)", key).isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(chain.tokenBalance(account.address()).orElseThrow()).isZero();
    }

    /** {@code count} acts of {@code wallet} of the kind {@code act}, made now, that went nowhere (their nonces were never the wallet's). */
    private void fill(String wallet, String act, int count) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement("""
                insert into chain_outbox (effect_key, kind, contract, payload, status, signer, nonce, raw_tx, created_at, sender, act, description)
                values (?, 'WalletCall', 'BerkeleyToken', '{}'::jsonb, 'FAILED', ?, ?, '0x', ?, ?, ?, 'limit test')""")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, "limit-" + wallet + "-" + act + "-" + i);
                insert.setString(2, wallet);
                insert.setLong(3, 1000 + i);
                insert.setTimestamp(4, Timestamp.from(Instant.now()));
                insert.setString(5, wallet);
                insert.setString(6, act);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
