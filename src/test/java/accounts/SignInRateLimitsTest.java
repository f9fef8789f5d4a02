package accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SignInRateLimitsTest {

    private Instant now = Instant.parse("2026-03-01T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aClientGetsItsBurstThenWaitsForTheAllowanceToGrowBack() {
        SignInRateLimits limits = new SignInRateLimits(clock, 3, 30, 1000);
        for (int i = 0; i < 3; i++) {
            limits.check(SignInRateLimits.Action.NONCE, "192.0.2.1");
        }
        assertThatThrownBy(() -> limits.check(SignInRateLimits.Action.NONCE, "192.0.2.1"))
                .isInstanceOf(TooManyAttempts.class)
                .hasMessageContaining("try again in 2 seconds")
                .satisfies(e -> assertThat(((TooManyAttempts) e).retryAfterSeconds()).isEqualTo(2))
                .satisfies(e -> assertThat(((TooManyAttempts) e).retryAt()).isEqualTo(now.plusSeconds(2)));

        now = now.plusSeconds(2); // 30 a minute: one every 2 seconds
        assertThatCode(() -> limits.check(SignInRateLimits.Action.NONCE, "192.0.2.1")).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.check(SignInRateLimits.Action.NONCE, "192.0.2.1")).isInstanceOf(TooManyAttempts.class);
    }

    @Test
    void aRefusedRequestTakesNothingSoWaitingTheToldTimeIsEnough() {
        SignInRateLimits limits = new SignInRateLimits(clock, 1, 1, 1000);
        limits.check(SignInRateLimits.Action.SIGN_IN, "192.0.2.1");
        for (int i = 0; i < 10; i++) {
            now = now.plusSeconds(1);
            assertThatThrownBy(() -> limits.check(SignInRateLimits.Action.SIGN_IN, "192.0.2.1"))
                    .isInstanceOf(TooManyAttempts.class);
        }
        now = now.plusSeconds(50);
        assertThatCode(() -> limits.check(SignInRateLimits.Action.SIGN_IN, "192.0.2.1")).doesNotThrowAnyException();
    }

    @Test
    void addressesAndActionsHaveTheirOwnAllowance() {
        SignInRateLimits limits = new SignInRateLimits(clock, 1, 1, 1000);
        limits.check(SignInRateLimits.Action.NONCE, "192.0.2.1");
        assertThatCode(() -> limits.check(SignInRateLimits.Action.NONCE, "192.0.2.2")).doesNotThrowAnyException();
        assertThatCode(() -> limits.check(SignInRateLimits.Action.SIGN_IN, "192.0.2.1")).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.check(SignInRateLimits.Action.NONCE, "192.0.2.1")).isInstanceOf(TooManyAttempts.class);
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() {
        SignInRateLimits limits = new SignInRateLimits(clock, 1, 1, 1000);
        limits.check(SignInRateLimits.Action.NONCE, "2001:db8:1:2::1");
        assertThatThrownBy(() -> limits.check(SignInRateLimits.Action.NONCE, "2001:db8:1:2:ffff::7"))
                .isInstanceOf(TooManyAttempts.class);
        assertThatCode(() -> limits.check(SignInRateLimits.Action.NONCE, "2001:db8:1:3::1")).doesNotThrowAnyException();
        assertThat(SignInRateLimits.key("192.0.2.1")).isEqualTo("192.0.2.1");
    }

    @Test
    void settingsBelowOneAreRefusedAtStart() {
        assertThatThrownBy(() -> new SignInRateLimits(clock, 0, 30, 1000))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bc.auth.rate-limit");
    }

    @Test
    void theRetryTimeIsNeverZeroSeconds() {
        TokenBucket bucket = new TokenBucket(1, 1_000_000, now);
        assertThat(bucket.take(now)).isZero();
        assertThat(bucket.take(now)).isPositive().isLessThan(Duration.ofSeconds(1));
    }
}
