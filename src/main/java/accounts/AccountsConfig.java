package accounts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of sign-in, sessions and roles ({@code bc.*}). */
@ConfigMapping(prefix = "bc")
public interface AccountsConfig {

    Siwe siwe();

    Admin admin();

    Session session();

    Auth auth();

    Custody custody();

    /** The platform's custody of managed wallets' keys (accounts.Custody). */
    interface Custody {
        /** The master keyset, a Tink JSON keyset; by default {@code <data-dir>/custody/master-key.json}, made on the first start. */
        Optional<String> masterKey();

        /** The most on-chain acts the platform signs for one managed wallet in an hour (a stolen session cannot act without end). */
        @WithDefault("60")
        int actsPerHour();

        /** The most assets (each NFT, each token transfer) a managed wallet sends to its linked wallet in 24 hours. */
        @WithDefault("50")
        int withdrawalsPerDay();

        /** How long after a wallet is linked before anything may be withdrawn to it (time to notice a link one did not make). */
        @WithDefault("24h")
        Duration withdrawalDelay();
    }

    interface Siwe {
        /**
         * The host (and port) sign-in messages must name; by default the authority of
         * {@code bc.public-url}. Never taken from a request (see {@link SignInOrigin}).
         */
        Optional<String> domain();

        /** The chain id sign-in messages must carry: the marketplace's chain. */
        long chainId();

        /** How long a nonce from {@code GET /api/auth/nonce} stays usable. */
        @WithDefault("10m")
        Duration nonceTtl();

        /** How far in the future a message's Issued At may lie (clock skew between wallet and server). */
        @WithDefault("2m")
        Duration clockSkew();
    }

    interface Admin {
        /** Wallets with the admin role, comma separated. */
        Optional<List<String>> wallets();
    }

    interface Auth {
        RateLimit rateLimit();
    }

    /**
     * Per client address: nonce issue ({@code GET /api/auth/nonce}, {@code POST /api/auth/message})
     * and sign-in attempts ({@code POST /api/auth/siwe}) each have this allowance, in this instance's memory.
     */
    interface RateLimit {
        /** Requests a client may make at once, after being idle. */
        @WithDefault("20")
        int burst();

        /** Requests a minute that the allowance grows back by. */
        @WithDefault("30")
        int perMinute();

        /** Most client addresses remembered per action; the least recently seen are forgotten first. */
        @WithDefault("100000")
        long maxAddresses();
    }

    interface Session {
        /** How long a sign-in lasts (session cookie and bearer token). */
        @WithDefault("7d")
        Duration ttl();

        /** Whether the session cookie is marked Secure (set it when served over HTTPS). */
        @WithDefault("false")
        boolean secureCookie();
    }
}
