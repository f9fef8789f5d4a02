package credits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accounts.TestWallet;
import accounts.WalletAddress;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/**
 * With demo mode off (the default), nothing demo mode does by itself is allowed: no DC comes from the
 * DEMO source, and no token price is set but by an admin.
 */
@QuarkusTest
class DemoModeOffTest {

    @Inject
    Credits credits;

    @Inject
    Oracle oracle;

    @Test
    void demoCreditsAreRefusedWhenDemoModeIsOff() {
        WalletAddress wallet = WalletAddress.of(TestWallet.random().address());
        long mintedBefore = credits.invariant().mintedByDemo();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> credits.grantDemoCredits("demo:credits:test", wallet,
                DataCredits.of(1_000_000))))
                .isInstanceOf(DomainException.class).hasMessageContaining("only in demo mode");
        assertThat(credits.balance(wallet).dc().value()).isZero();
        assertThat(credits.invariant().mintedByDemo()).isEqualTo(mintedBefore).isZero();
    }

    @Test
    void theDemoPriceIsRefusedWhenDemoModeIsOff() {
        int prices = given().queryParam("limit", 500).get("/api/credits/price/history").then().statusCode(200).extract().jsonPath()
                .getList("").size();
        assertThatThrownBy(() -> oracle.keepDemoPrice(WalletAddress.of(TestWallet.random().address())))
                .isInstanceOf(DomainException.class).hasMessageContaining("an admin sets it");
        assertThat(given().queryParam("limit", 500).get("/api/credits/price/history").then().extract().jsonPath().getList(""))
                .hasSize(prices);
    }
}
