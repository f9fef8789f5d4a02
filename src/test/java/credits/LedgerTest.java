package credits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import accounts.TestWallet;
import accounts.WalletAddress;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/** The ledger against the real PostgreSQL: postings, idempotency, refusals, and its API, page, health check and metrics. */
@QuarkusTest
class LedgerTest {

    private static final Instant MINUTE = Instant.parse("2026-12-01T10:00:00Z");
    // Burns here name pools and GPUs from 900,000 up, ids no real pool or GPU of the suite reaches, so
    // that settlement tests (which count every burn of their pools' GPUs) never see them.

    @Inject
    Ledger ledger;

    @Inject
    Credits credits;

    @Inject
    AgroalDataSource dataSource;

    private static String key() {
        return "test:" + UUID.randomUUID();
    }

    private static WalletAddress wallet() {
        return new WalletAddress(TestWallet.random().address());
    }

    private static <T> T inTransaction(Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(work::get);
    }

    private DomainException refusal(Supplier<?> work) {
        try {
            inTransaction(work);
        } catch (DomainException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void mintedCreditsAreHeldOnceHoweverOftenTheKeyIsSent() {
        WalletAddress wallet = wallet();
        String key = key();
        Posted first = inTransaction(() -> ledger.mint(key, MintSource.CARD, wallet, DataCredits.of(1_000), "card payment", "cs_1"));
        Posted again = inTransaction(() -> ledger.mint(key, MintSource.CARD, wallet, DataCredits.of(1_000), "card payment", "cs_1"));

        assertThat(first.applied()).isTrue();
        assertThat(again).isEqualTo(new Posted(first.postingId(), false, DataCredits.of(1_000)));
        assertThat(credits.balance(wallet)).isEqualTo(new Balance(wallet, DataCredits.of(1_000), DataCredits.ZERO));
    }

    @Test
    void aKeyUsedForAnotherPostingIsAConflictAndMovesNothing() {
        WalletAddress wallet = wallet();
        String key = key();
        inTransaction(() -> ledger.mint(key, MintSource.BURN, wallet, DataCredits.of(500), "burn", "0xabc:1"));

        DomainException conflict = refusal(() -> ledger.mint(key, MintSource.BURN, wallet, DataCredits.of(501), "burn", "0xabc:1"));

        assertThat(conflict.kind()).isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(conflict.getMessage()).contains(key);
        assertThat(credits.balance(wallet).dc()).isEqualTo(DataCredits.of(500));
    }

    @Test
    void aBurnBeyondTheBalanceIsRefusedWith402AndChangesNothing() {
        WalletAddress wallet = wallet();
        inTransaction(() -> ledger.mint(key(), MintSource.CARD, wallet, DataCredits.of(100), "card payment", null));

        DomainException refused = refusal(() -> ledger.burnFromBalance(key(), wallet, 900_001, 900_002, MINUTE, DataCredits.of(101), "minute 1"));

        assertThat(refused.kind().status()).isEqualTo(402);
        assertThat(refused.getMessage()).isEqualTo("insufficient credits: needs 101 DC, has 100 DC");
        assertThat(credits.balance(wallet).dc()).isEqualTo(DataCredits.of(100));
        assertThat(credits.history(wallet, 10)).hasSize(1);
    }

    @Test
    void aReservationEscrowsItsPriceBurnsFromItAndRefundsTheRest() {
        WalletAddress wallet = wallet();
        String escrowId = "order-" + UUID.randomUUID();
        EscrowTerms terms = new EscrowTerms(900_007, List.of(900_070L, 900_071L), MINUTE, MINUTE.plusSeconds(3_600));
        inTransaction(() -> ledger.mint(key(), MintSource.BURN, wallet, DataCredits.of(10_000), "burn", null));
        inTransaction(() -> credits.escrow(key(), wallet, escrowId, DataCredits.of(6_000), terms, "reservation"));
        inTransaction(() -> credits.burnFromEscrow(key(), escrowId, 900_007, 900_071, MINUTE, DataCredits.of(2_500), "reserved hour, GPU 900071"));
        inTransaction(() -> credits.refundEscrow(key(), escrowId, DataCredits.of(3_500), "stopped early"));

        assertThat(credits.balance(wallet)).isEqualTo(new Balance(wallet, DataCredits.of(7_500), DataCredits.ZERO));
        List<LedgerEntry> history = credits.history(wallet, 10);
        assertThat(history).extracting(LedgerEntry::operation).containsExactly(
                LedgerEntry.Operation.REFUND, LedgerEntry.Operation.BURN, LedgerEntry.Operation.ESCROW, LedgerEntry.Operation.MINT);
        assertThat(history).extracting(LedgerEntry::balanceChangeDc).containsExactly(3_500L, 0L, -6_000L, 10_000L);
        assertThat(history).extracting(LedgerEntry::escrowChangeDc).containsExactly(-3_500L, -2_500L, 6_000L, 0L);
        assertThat(history.get(1).gpuId()).isEqualTo(900_071L);
        assertThat(credits.invariant().holds()).isTrue();
    }

    @Test
    void aFailoverMovesAnEscrowsShareToTheGpuThatServesItOnceAndOnlyInsideTheWindow() throws Exception {
        WalletAddress wallet = wallet();
        String escrowId = "order-" + UUID.randomUUID();
        Instant move = MINUTE.plusSeconds(600);
        inTransaction(() -> ledger.mint(key(), MintSource.BURN, wallet, DataCredits.of(1_000), "burn", null));
        inTransaction(() -> credits.escrow(key(), wallet, escrowId, DataCredits.of(600),
                new EscrowTerms(900_005, List.of(900_050L, 900_051L), MINUTE, MINUTE.plusSeconds(3_600)), "reservation"));

        assertThat(inTransaction(() -> credits.moveEscrowGpu(escrowId, 900_050, 900_052, move))).isTrue();
        assertThat(inTransaction(() -> credits.moveEscrowGpu(escrowId, 900_050, 900_052, move))).as("the same move again").isTrue();
        assertThat(inTransaction(() -> credits.moveEscrowGpu(escrowId, 900_059, 900_053, move))).as("a GPU it does not use").isFalse();
        assertThat(inTransaction(() -> credits.moveEscrowGpu(escrowId, 900_051, 900_053, MINUTE.plusSeconds(3_600))))
                .as("at the window's end").isFalse();
        assertThat(inTransaction(() -> credits.moveEscrowGpu("order-" + UUID.randomUUID(), 900_051, 900_053, move))).as("no such escrow")
                .isFalse();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select position, gpu_id from credits_escrow_gpu_move where escrow_id = '" + escrowId + "'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isZero();
            assertThat(r.getLong(2)).isEqualTo(900_052);
            assertThat(r.next()).as("one move").isFalse();
        }
        // the GPU it moved to may be burned on now; one it never used may not
        inTransaction(() -> credits.burnFromEscrow(key(), escrowId, 900_005, 900_052, move, DataCredits.of(100), "served after the move"));
        assertThat(refusal(() -> credits.burnFromEscrow(key(), escrowId, 900_005, 900_053, move, DataCredits.of(1), "never used")).kind())
                .isEqualTo(DomainException.Kind.INVALID);
        assertThat(credits.balance(wallet)).isEqualTo(new Balance(wallet, DataCredits.of(400), DataCredits.of(500)));

        // a GPU offline when the window starts hands over all of it
        String other = "order-" + UUID.randomUUID();
        inTransaction(() -> credits.escrow(key(), wallet, other, DataCredits.of(60),
                new EscrowTerms(900_005, List.of(900_055L), MINUTE, MINUTE.plusSeconds(60)), "reservation"));
        assertThat(inTransaction(() -> credits.moveEscrowGpu(other, 900_055, 900_056, MINUTE.minusSeconds(5)))).isTrue();
        inTransaction(() -> credits.burnFromEscrow(key(), other, 900_005, 900_056, MINUTE, DataCredits.of(60), "served it all"));
    }

    @Test
    void anEscrowBurnsOnlyOnItsOwnPoolAndGpusAndNoMoreThanItHolds() {
        WalletAddress wallet = wallet();
        String escrowId = "order-" + UUID.randomUUID();
        inTransaction(() -> ledger.mint(key(), MintSource.BURN, wallet, DataCredits.of(1_000), "burn", null));
        inTransaction(() -> credits.escrow(key(), wallet, escrowId, DataCredits.of(600),
                new EscrowTerms(900_003, List.of(900_030L), MINUTE, MINUTE.plusSeconds(60)), "reservation"));

        assertThat(refusal(() -> credits.burnFromEscrow(key(), escrowId, 900_003, 900_031, MINUTE, DataCredits.of(1), "wrong GPU")).kind())
                .isEqualTo(DomainException.Kind.INVALID);
        DomainException tooMuch = refusal(() -> credits.burnFromEscrow(key(), escrowId, 900_003, 900_030, MINUTE, DataCredits.of(601), "too much"));
        assertThat(tooMuch.kind().status()).isEqualTo(402);
        assertThat(tooMuch.getMessage()).isEqualTo("insufficient credits: needs 601 DC, escrow " + escrowId + " has 600 DC");
        assertThat(refusal(() -> credits.escrow(key(), wallet, escrowId, DataCredits.of(1),
                new EscrowTerms(900_004, List.of(900_030L), MINUTE, MINUTE.plusSeconds(60)), "other terms")).kind())
                .isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(credits.balance(wallet)).isEqualTo(new Balance(wallet, DataCredits.of(400), DataCredits.of(600)));
    }

    @Test
    void takingBackTakesAtMostWhatIsLeft() {
        WalletAddress wallet = wallet();
        inTransaction(() -> ledger.mint(key(), MintSource.CARD, wallet, DataCredits.of(1_000), "card payment", "cs_2"));
        inTransaction(() -> ledger.burnFromBalance(key(), wallet, 900_001, 900_001, MINUTE, DataCredits.of(700), "used"));

        Posted taken = inTransaction(() -> ledger.takeBack(key(), MintSource.CARD, wallet, DataCredits.of(1_000), "refund", "cs_2"));

        assertThat(taken.amount()).isEqualTo(DataCredits.of(300));
        assertThat(credits.balance(wallet).dc()).isEqualTo(DataCredits.ZERO);
    }

    @Test
    void postingsOutsideATransactionAreRefused() {
        assertThatThrownBy(() -> ledger.mint(key(), MintSource.CARD, wallet(), DataCredits.of(1), "no transaction", null))
                .isInstanceOf(jakarta.transaction.TransactionalException.class);
    }

    @Test
    void theDatabaseItselfRefusesANegativeBalanceAndChangingAPosting() throws SQLException {
        WalletAddress wallet = wallet();
        inTransaction(() -> ledger.mint(key(), MintSource.CARD, wallet, DataCredits.of(10), "card payment", null));
        try (Connection db = dataSource.getConnection(); Statement sql = db.createStatement()) {
            assertThatThrownBy(() -> sql.executeUpdate("update credits_account set balance = balance - 11 where owner = '" + wallet + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("credits_account_balance_non_negative");
            assertThatThrownBy(() -> sql.executeUpdate("update credits_posting set amount = 0 where id = (select max(id) from credits_posting)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> sql.executeUpdate("delete from credits_posting where id = (select max(id) from credits_posting)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
        assertThat(credits.balance(wallet).dc()).isEqualTo(DataCredits.of(10));
    }

    @Test
    void theCallerSeesTheirBalanceAndLedgerNewestFirst() {
        TestWallet person = TestWallet.random();
        WalletAddress wallet = new WalletAddress(person.address());
        Posted first = inTransaction(() -> ledger.mint(key(), MintSource.BURN, wallet, DataCredits.of(2_000), "tokens burned", "0x01:0"));
        Posted second = inTransaction(() -> ledger.burnFromBalance(key(), wallet, 900_005, 900_050, MINUTE, DataCredits.of(33), "spot minute 1"));
        String token = person.signIn();

        given().auth().oauth2(token).get("/api/credits/balance").then().statusCode(200)
                .body("address", equalTo(wallet.value())).body("dc", equalTo(1_967)).body("escrowDc", equalTo(0));
        given().auth().oauth2(token).get("/api/credits/ledger").then().statusCode(200)
                .body("", hasSize(2)).body("[0].id", equalTo((int) second.postingId())).body("[0].operation", equalTo("BURN"))
                .body("[0].balanceChangeDc", equalTo(-33)).body("[0].poolId", equalTo(900_005)).body("[0].gpuId", equalTo(900_050))
                .body("[0].occurredAt", equalTo("2026-12-01T10:00:00Z"))
                .body("[1].balanceChangeDc", equalTo(2_000)).body("[1].reference", equalTo("0x01:0"));
        given().auth().oauth2(token).queryParam("limit", 1).queryParam("before", second.postingId()).get("/api/credits/ledger")
                .then().statusCode(200).body("", hasSize(1)).body("[0].id", equalTo((int) first.postingId()));
        given().auth().oauth2(token).queryParam("limit", Credits.MAX_HISTORY + 1).get("/api/credits/ledger").then().statusCode(400);
        given().get("/api/credits/balance").then().statusCode(401);
    }

    @Test
    void theCreditsPageShowsBalanceAndHistoryToItsWalletOnly() {
        TestWallet person = TestWallet.random();
        WalletAddress wallet = new WalletAddress(person.address());
        inTransaction(() -> ledger.mint(key(), MintSource.CARD, wallet, DataCredits.of(1_234_567), "card payment", "cs_page"));

        given().auth().oauth2(person.signIn()).accept("text/html").get("/credits").then().statusCode(200)
                .body(containsString("1,234,567 DC")).body(containsString("12.35 USD")).body(containsString("card payment"))
                .body(containsString("+1,234,567"));
        given().redirects().follow(false).accept("text/html").get("/credits").then().statusCode(303)
                .header("Location", containsString("/signin?next=%2Fcredits"));
    }

    @Test
    void readinessAndMetricsReportTheInvariant() {
        inTransaction(() -> ledger.mint(key(), MintSource.BURN, wallet(), DataCredits.of(42), "burn", null));
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'credits-ledger' }.status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("bc_credits_minted_dc{source=\"burn\"}"))
                .body(containsString("bc_credits_invariant_holds 1.0"));
    }
}
