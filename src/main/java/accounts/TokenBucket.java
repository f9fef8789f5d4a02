package accounts;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: holds up to {@code burst} tokens, gains {@code perMinute} tokens a minute, and
 * each request takes one. Not thread-safe on its own; {@link SignInRateLimits} takes it under a lock.
 */
final class TokenBucket {

    private static final double NANOS_PER_MINUTE = 60e9;

    private final int burst;
    private final double tokensPerNano;
    private double tokens;
    private Instant updatedAt;

    TokenBucket(int burst, int perMinute, Instant now) {
        if (burst < 1 || perMinute < 1) {
            throw new IllegalArgumentException("a rate limit needs a burst and a rate of at least 1, not " + burst + " and " + perMinute);
        }
        this.burst = burst;
        this.tokensPerNano = perMinute / NANOS_PER_MINUTE;
        this.tokens = burst;
        this.updatedAt = now;
    }

    /** Takes a token if there is one: {@link Duration#ZERO}; otherwise how long until there is one (and takes nothing). */
    Duration take(Instant now) {
        if (now.isAfter(updatedAt)) {
            long elapsed = Duration.between(updatedAt, now).toNanos();
            tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
            updatedAt = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1 - tokens) / tokensPerNano));
    }
}
