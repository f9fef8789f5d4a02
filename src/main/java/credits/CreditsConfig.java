package credits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigInteger;

/** Settings of buying Data Credits with tokens ({@code bc.credits.*}). */
@ConfigMapping(prefix = "bc.credits")
public interface CreditsConfig {

    Faucet faucet();

    SandboxPrice sandboxPrice();

    /**
     * The embedded chain's token price: a sandbox has no admin to state one, and CreditsBurner
     * refuses burns at no price or a stale one, so the faucet's tokens would buy nothing. While on,
     * and while no admin has set a price, the server states {@code usd} itself, again before it goes
     * stale. Never on an external chain.
     */
    interface SandboxPrice {
        @WithDefault("true")
        boolean enabled();

        /** USD per BCT, as an admin would type it. */
        @WithDefault("0.25")
        String usd();
    }

    /**
     * The embedded chain's faucet: once per wallet, a wallet that holds no ether gets {@code wei}
     * for gas and {@code tokens} test BCT to burn, paid by the platform signer through the outbox.
     * Never on an external chain.
     */
    interface Faucet {
        /** Off: no faucet even on the embedded chain. */
        @WithDefault("true")
        boolean enabled();

        /** Ether for gas (wei; 10^16 = 0.01 ether, a few hundred burns at the embedded chain's fees; at most 1 ether). */
        @WithDefault("10000000000000000")
        BigInteger wei();

        /** Test tokens to burn (base units; 10^20 = 100 BCT); 0: ether only. */
        @WithDefault("100000000000000000000")
        BigInteger tokens();
    }
}
