package credits;

import accounts.WalletAddress;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.UUID;

/** Gives a wallet Data Credits for tests of other modules, as a card payment would (through the real ledger). */
public final class TestCredits {

    private TestCredits() {
    }

    public static void give(String wallet, long dc) {
        Ledger ledger = Arc.container().instance(Ledger.class).get();
        String key = "test-give-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> ledger.mint(key, MintSource.CARD, WalletAddress.of(wallet), DataCredits.of(dc),
                "test credits", key));
    }

    public static long balance(String wallet) {
        Credits credits = Arc.container().instance(Credits.class).get();
        return QuarkusTransaction.requiringNew().call(() -> credits.balance(WalletAddress.of(wallet)).dc().value());
    }

    public static long escrowed(String wallet) {
        Credits credits = Arc.container().instance(Credits.class).get();
        return QuarkusTransaction.requiringNew().call(() -> credits.balance(WalletAddress.of(wallet)).escrowDc().value());
    }
}
