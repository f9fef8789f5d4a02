package credits;

import platform.DomainException;

/** A share in basis points: 0 to 10,000, where 10,000 is the whole. */
public record Bps(int value) {

    public static final int WHOLE = 10_000;

    public Bps {
        if (value < 0 || value > WHOLE) {
            throw DomainException.invalid("a share in basis points must be between 0 and " + WHOLE + ", not " + value);
        }
    }

    public static Bps of(int value) {
        return new Bps(value);
    }

    @Override
    public String toString() {
        return value + " bps";
    }
}
