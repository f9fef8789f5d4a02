package pools;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import platform.DomainException;

/** A pool's prices in Data Credits per GPU-hour: spot, on-demand, and reserved by term length. */
public record Prices(long spotDcPerHour, long onDemandDcPerHour, List<ReservedPrice> reserved) {

    /** The price of reserving for a term of {@code termDays} days or more. */
    public record ReservedPrice(int termDays, long dcPerHour) {
        public ReservedPrice {
            if (termDays <= 0) {
                throw DomainException.invalid("reserved.termDays: a reserved term lasts at least one day");
            }
            if (dcPerHour < 0) {
                throw DomainException.invalid("reserved.usdPerHour: a price cannot be below zero");
            }
        }

        public String usdPerHour() {
            return Usd.fromDataCredits(dcPerHour);
        }
    }

    public Prices {
        if (spotDcPerHour < 0 || onDemandDcPerHour < 0) {
            throw DomainException.invalid("prices: a price cannot be below zero");
        }
        Set<Integer> terms = new HashSet<>();
        for (ReservedPrice price : reserved) {
            if (!terms.add(price.termDays())) {
                throw DomainException.invalid("reserved.termDays: the term of " + price.termDays() + " days is listed twice");
            }
        }
        reserved = reserved.stream().sorted(Comparator.comparingInt(ReservedPrice::termDays)).toList();
    }

    public String spotUsdPerHour() {
        return Usd.fromDataCredits(spotDcPerHour);
    }

    public String onDemandUsdPerHour() {
        return Usd.fromDataCredits(onDemandDcPerHour);
    }
}
