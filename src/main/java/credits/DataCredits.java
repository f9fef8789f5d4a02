package credits;

import platform.DomainException;

/** An amount of Data Credits (1 DC = 0.00001 USD): a whole number, never negative. */
public record DataCredits(long value) implements Comparable<DataCredits> {

    public static final DataCredits ZERO = new DataCredits(0);

    public DataCredits {
        if (value < 0) {
            throw DomainException.invalid("an amount of Data Credits must not be negative, not " + value);
        }
    }

    public static DataCredits of(long value) {
        return new DataCredits(value);
    }

    /** The sum; an overflow of a long throws {@link ArithmeticException} rather than wrapping around. */
    public DataCredits plus(DataCredits other) {
        return new DataCredits(Math.addExact(value, other.value));
    }

    public boolean isZero() {
        return value == 0;
    }

    @Override
    public int compareTo(DataCredits other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value + " DC";
    }
}
