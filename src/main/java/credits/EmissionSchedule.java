package credits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import platform.Epochs;

/**
 * The emission schedule (DESIGN section 7): year y of the schedule (365 days of epochs from the
 * genesis, counted from 0) emits {@code bc.settlement.yearly-emission[y]} whole tokens, the same
 * amount in every one of its epochs: {@code floor(tokens * 10^18 / epochsPerYear)} base units.
 * The floor leaves less than one base unit per epoch of a year unemitted. Nothing after the last
 * year, and nothing before the genesis.
 */
@ApplicationScoped
public class EmissionSchedule {

    static final BigInteger ONE_TOKEN = BigInteger.TEN.pow(18);
    /** Whole tokens of one year: at most 10^30, so that a year's base units stay far inside uint256. */
    private static final int MAX_DIGITS = 30;

    private final Epochs epochs;
    private final List<BigInteger> yearlyTokens;

    @Inject
    EmissionSchedule(Epochs epochs, SettlementConfig config) {
        this(epochs, config.yearlyEmission());
    }

    public EmissionSchedule(Epochs epochs, List<String> yearlyTokens) {
        this.epochs = epochs;
        if (yearlyTokens.isEmpty() || yearlyTokens.size() > 100) {
            throw new IllegalArgumentException("bc.settlement.yearly-emission needs 1 to 100 years, not " + yearlyTokens.size());
        }
        List<BigInteger> years = new ArrayList<>();
        for (String year : yearlyTokens) {
            String digits = year.strip().replace("_", "");
            if (!digits.matches("[0-9]{1," + MAX_DIGITS + "}")) {
                throw new IllegalArgumentException("bc.settlement.yearly-emission: each year is a whole number of tokens of at most "
                        + MAX_DIGITS + " digits, not '" + year + "'");
            }
            years.add(new BigInteger(digits));
        }
        this.yearlyTokens = List.copyOf(years);
    }

    /** Epochs in a year of the schedule. */
    public long epochsPerYear() {
        return 365 * epochs.perDay();
    }

    /** The tokens epoch {@code epoch} emits, in base units. */
    public TokenAmount emissionOf(long epoch) {
        if (epoch < 0) {
            return TokenAmount.ZERO;
        }
        long year = epoch / epochsPerYear();
        return year >= yearlyTokens.size() ? TokenAmount.ZERO : perEpoch(yearlyTokens.get((int) year));
    }

    private TokenAmount perEpoch(BigInteger tokens) {
        return new TokenAmount(tokens.multiply(ONE_TOKEN).divide(BigInteger.valueOf(epochsPerYear())));
    }

    /** One year of the schedule: its epochs (first inclusive, last exclusive), when it starts and what each epoch emits. */
    public record Year(int year, long firstEpoch, long endEpoch, java.time.Instant start, java.time.Instant end,
                       BigInteger tokens, TokenAmount perEpoch) {
    }

    public List<Year> years() {
        List<Year> years = new ArrayList<>();
        long per = epochsPerYear();
        for (int y = 0; y < yearlyTokens.size(); y++) {
            long first = y * per;
            years.add(new Year(y + 1, first, first + per, epochs.startOf(first), epochs.startOf(first + per),
                    yearlyTokens.get(y), perEpoch(yearlyTokens.get(y))));
        }
        return years;
    }
}
