package platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;

/**
 * The epoch calendar shared by pools (when a share change takes effect, online seconds per epoch)
 * and credits (settlement): epoch 0 starts at {@code bc.epochs.genesis}, each lasts
 * {@code bc.epochs.length}: any whole number of minutes that divides 24 h (1 min to 24 h, e.g. 2 min
 * for a live demo), with the genesis on a multiple of the length, so that every epoch starts on a
 * multiple of its length since 1970 (days and hours split into whole epochs).
 */
@ApplicationScoped
public class Epochs {

    private static final long DAY = 86_400;

    private final Instant genesis;
    private final Duration length;

    @Inject
    Epochs(PlatformConfig config) {
        this(config.epochs().genesis(), config.epochs().length());
    }

    public Epochs(Instant genesis, Duration length) {
        if (length.isNegative() || length.isZero() || length.toNanos() % 60_000_000_000L != 0 || DAY % length.toSeconds() != 0) {
            throw new IllegalArgumentException("bc.epochs.length must be a whole number of minutes that divides 24 h (such as 2m, 15m, 1h or 24h), not "
                    + length);
        }
        if (genesis.getNano() != 0 || Math.floorMod(genesis.getEpochSecond(), length.toSeconds()) != 0) {
            throw new IllegalArgumentException("bc.epochs.genesis must be on a multiple of bc.epochs.length (" + length + "), not " + genesis);
        }
        this.genesis = genesis;
        this.length = length;
    }

    /** The epoch that contains {@code instant} (negative before genesis). */
    public long epochAt(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond() - genesis.getEpochSecond(), length.toSeconds());
    }

    public Instant startOf(long epoch) {
        return genesis.plusSeconds(Math.multiplyExact(epoch, length.toSeconds()));
    }

    public Instant endOf(long epoch) {
        return startOf(epoch + 1);
    }

    public Duration length() {
        return length;
    }

    public Instant genesis() {
        return genesis;
    }

    /** How many epochs a day has (1 to 1,440). */
    public long perDay() {
        return DAY / length.toSeconds();
    }
}
