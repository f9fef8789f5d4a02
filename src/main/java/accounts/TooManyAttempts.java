package accounts;

import java.time.Instant;

/** A request refused by a rate limit: a 429 that says when to retry ({@code Retry-After}). */
class TooManyAttempts extends RuntimeException {

    private final long retryAfterSeconds;
    private final Instant retryAt;

    TooManyAttempts(String what, long retryAfterSeconds, Instant retryAt) {
        super("Too many " + what + " from your address; try again in " + retryAfterSeconds
                + (retryAfterSeconds == 1 ? " second" : " seconds") + " (at " + retryAt + ")");
        this.retryAfterSeconds = retryAfterSeconds;
        this.retryAt = retryAt;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    Instant retryAt() {
        return retryAt;
    }
}
