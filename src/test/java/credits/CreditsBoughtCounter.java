package credits;

import chain.CreditsBought;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test side: how often event sync has delivered each CreditsBought log (by transaction), to see a range read again. */
@ApplicationScoped
public class CreditsBoughtCounter {

    private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();

    void count(@Observes CreditsBought bought) {
        deliveries.merge(bought.txHash(), 1, Integer::sum);
    }

    public int deliveries(String txHash) {
        return deliveries.getOrDefault(txHash.toLowerCase(java.util.Locale.ROOT), 0);
    }
}
