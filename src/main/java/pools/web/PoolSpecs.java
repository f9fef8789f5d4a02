package pools.web;

import java.time.Duration;
import java.util.List;
import platform.DomainException;
import pools.MemberPolicy;
import pools.Percent;
import pools.Prices;
import pools.RewardShares;
import pools.Usd;

/**
 * The parts of a pool spec as the API and the pages send them, each bounded before it is parsed:
 * prices and percentages by their shape (see {@link Usd}, {@link Percent}), hours before they
 * become durations, reserved terms by count and length. The field names in refusals are the JSON's.
 */
final class PoolSpecs {

    static final String USD_PATTERN = "^[0-9]{1,7}(\\.[0-9]{0,5})?$";
    static final int MAX_TERM_DAYS = 3650;
    static final int MAX_RESERVED_TERMS = 20;
    /** Hours beyond any setting's reach, refused before a Duration is made of them. */
    private static final long MAX_HOURS = 10_000_000;

    /** A reserved term as sent: days, and USD per GPU-hour. */
    record Term(Integer termDays, String usdPerHour) {
    }

    private PoolSpecs() {
    }

    /** Prices from USD per GPU-hour; {@code reserved} may be null (no reserved terms), an element null (refused). */
    static Prices prices(String spotUsdPerHour, String onDemandUsdPerHour, List<Term> reserved) {
        List<Term> terms = reserved == null ? List.of() : reserved;
        if (terms.size() > MAX_RESERVED_TERMS) {
            throw DomainException.invalid("prices.reserved: at most " + MAX_RESERVED_TERMS + " reserved terms");
        }
        return new Prices(
                Usd.toDataCredits("prices.spotUsdPerHour", spotUsdPerHour),
                Usd.toDataCredits("prices.onDemandUsdPerHour", onDemandUsdPerHour),
                terms.stream().map(t -> {
                    if (t == null) {
                        throw DomainException.invalid("prices.reserved: a term is {\"termDays\": 30, \"usdPerHour\": \"1.80\"}");
                    }
                    int days = required(t.termDays(), "prices.reserved.termDays");
                    if (days < 1 || days > MAX_TERM_DAYS) {
                        throw DomainException.invalid("prices.reserved.termDays: 1 to " + String.format("%,d", MAX_TERM_DAYS) + " days");
                    }
                    return new Prices.ReservedPrice(days, Usd.toDataCredits("prices.reserved.usdPerHour", t.usdPerHour()));
                }).toList());
    }

    static RewardShares shares(Integer operatorBps, Integer poolBps, Integer usedGpuBps) {
        return new RewardShares(required(operatorBps, "shares.operatorBps"), required(poolBps, "shares.poolBps"),
                required(usedGpuBps, "shares.usedGpuBps"));
    }

    static MemberPolicy policy(String minUptimePercent, Long windowHours, Integer maxFailures, Long warningGraceHours) {
        return new MemberPolicy(
                Percent.toBps("policy.minUptimePercent", required(minUptimePercent, "policy.minUptimePercent")),
                hours("policy.windowHours", required(windowHours, "policy.windowHours")),
                required(maxFailures, "policy.maxFailures"),
                hours("policy.warningGraceHours", required(warningGraceHours, "policy.warningGraceHours")));
    }

    /** Whole hours, refused when negative or beyond any setting before a {@link Duration} is made of them. */
    static Duration hours(String field, long hours) {
        if (hours < 0) {
            throw DomainException.invalid(field + ": cannot be negative");
        }
        if (hours > MAX_HOURS) {
            throw DomainException.invalid(field + ": at most " + String.format("%,d", MAX_HOURS) + " hours");
        }
        return Duration.ofHours(hours);
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw DomainException.invalid(field + ": required");
        }
        return value;
    }
}
