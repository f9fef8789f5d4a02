package credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accounts.TestWallet;
import accounts.WalletAddress;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/** With demo mode off (the default), no DC can come from the DEMO source: the grant is refused and posts nothing. */
@QuarkusTest
class DemoCreditsOffTest {

    @Inject
    Credits credits;

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
}
