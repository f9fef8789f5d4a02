package chain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * A time as a contract states it: whole seconds since 1970 in an unsigned 64-bit field, kept as the
 * chain says (so that no value can stop event sync). Contracts use values no calendar needs for
 * "never": ERC-4907's {@code setUser(id, user, type(uint64).max)} lends a token for good. Every
 * time after {@link #LAST} (the end of the year 9999) therefore means <b>never</b>:
 * {@link #instant()} is empty and {@link #never()} true.
 */
public record ChainTime(BigInteger seconds) {

    /** The last second that is a date (9999-12-31T23:59:59Z); later ones mean never. */
    public static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");
    static final BigInteger UINT64_MAX = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

    public ChainTime {
        if (seconds == null || seconds.signum() < 0 || seconds.compareTo(UINT64_MAX) > 0) {
            throw new IllegalArgumentException("A chain time is a whole number of seconds from 0 to 2^64-1, not " + seconds);
        }
    }

    public static ChainTime of(Instant instant) {
        return new ChainTime(BigInteger.valueOf(instant.getEpochSecond()));
    }

    /** The instant, or empty when the chain's value means never. */
    public Optional<Instant> instant() {
        return never() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(seconds.longValueExact()));
    }

    public boolean never() {
        return seconds.compareTo(BigInteger.valueOf(LAST.getEpochSecond())) > 0;
    }

    /** Whether this time has passed at {@code now} (never: it has not). */
    public boolean isBefore(Instant now) {
        return !never() && instant().orElseThrow().isBefore(now);
    }

    @Override
    public String toString() {
        return instant().map(Instant::toString).orElse("never (" + seconds + ")");
    }
}
