package accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Rate limits on what an anonymous client can make the server do before it has proven anything:
 * issue nonces (each is a database row) and check sign-ins (each is a signature recovery and a
 * transaction). One token bucket per client address and action ({@code bc.auth.rate-limit.*});
 * IPv6 clients are counted per /64, the block one subscriber usually holds.
 *
 * <p>The buckets live in this instance's memory: with several instances behind a load balancer a
 * client gets the allowance once per instance. Memory stays bounded: at most
 * {@code max-addresses} buckets per action are kept, and a bucket untouched for as long as it takes
 * to refill is dropped (a new one starts full, which is the same).
 */
@ApplicationScoped
class SignInRateLimits {

    /** What is limited; the nonce-issuing endpoints share one allowance. */
    enum Action {
        NONCE("sign-in nonces"),
        SIGN_IN("sign-in attempts");

        private final String description;

        Action(String description) {
            this.description = description;
        }
    }

    private final Clock clock;
    private final int burst;
    private final int perMinute;
    private final Map<Action, Cache<String, TokenBucket>> buckets = new EnumMap<>(Action.class);

    @Inject
    SignInRateLimits(Clock clock, AccountsConfig config) {
        this(clock, config.auth().rateLimit().burst(), config.auth().rateLimit().perMinute(),
                config.auth().rateLimit().maxAddresses());
    }

    SignInRateLimits(Clock clock, int burst, int perMinute, long maxAddresses) {
        if (burst < 1 || perMinute < 1 || maxAddresses < 1) {
            throw new IllegalStateException("bc.auth.rate-limit.burst, .per-minute and .max-addresses must be at least 1, not "
                    + burst + ", " + perMinute + " and " + maxAddresses);
        }
        this.clock = clock;
        this.burst = burst;
        this.perMinute = perMinute;
        Duration refill = Duration.ofMillis(Math.max(60_000L, 60_000L * burst / perMinute));
        for (Action action : Action.values()) {
            buckets.put(action, Caffeine.newBuilder().maximumSize(maxAddresses).expireAfterAccess(refill).build());
        }
    }

    /** Counts one {@code action} by {@code clientAddress}; a {@link TooManyAttempts} (429) when its allowance is used up. */
    void check(Action action, String clientAddress) {
        Instant now = clock.instant();
        TokenBucket bucket = buckets.get(action).get(key(clientAddress), k -> new TokenBucket(burst, perMinute, now));
        Duration wait;
        synchronized (bucket) {
            wait = bucket.take(now);
        }
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new TooManyAttempts(action.description, seconds, now.plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS));
        }
    }

    /** The address itself for IPv4, its /64 network for IPv6. */
    static String key(String clientAddress) {
        if (clientAddress == null || clientAddress.indexOf(':') < 0) {
            return String.valueOf(clientAddress);
        }
        try {
            byte[] bytes = InetAddress.getByName(clientAddress).getAddress(); // a literal: no name lookup
            if (bytes.length == 16) {
                return "v6:" + Arrays.toString(Arrays.copyOf(bytes, 8));
            }
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return clientAddress;
        }
    }
}
