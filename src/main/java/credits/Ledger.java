package credits;

import accounts.WalletAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEMPORARY stand-in for the ledger of branch i-ledger (LEDGER_API.md), so that card payments
 * compile and their tests run before the real ledger is merged. Deleted by that merge.
 */
@ApplicationScoped
public class Ledger {

    private final Map<String, Posted> applied = new ConcurrentHashMap<>();
    private final Map<WalletAddress, Long> balances = new ConcurrentHashMap<>();

    public synchronized Posted mint(String key, MintSource source, WalletAddress to, DataCredits dc, String reason, String reference) {
        Posted before = applied.get(key);
        if (before != null) {
            return new Posted(before.postingId(), false, before.amount());
        }
        balances.merge(to, dc.value(), Long::sum);
        Posted posted = new Posted(applied.size() + 1, true, dc);
        applied.put(key, posted);
        return posted;
    }

    public synchronized Posted takeBack(String key, MintSource source, WalletAddress from, DataCredits upTo, String reason, String reference) {
        Posted before = applied.get(key);
        if (before != null) {
            return new Posted(before.postingId(), false, before.amount());
        }
        long taken = Math.min(upTo.value(), balances.getOrDefault(from, 0L));
        balances.merge(from, -taken, Long::sum);
        Posted posted = new Posted(applied.size() + 1, true, DataCredits.of(taken));
        applied.put(key, posted);
        return posted;
    }

    /** Stand-in for a spend (the market's burn), for tests. */
    public synchronized void spend(WalletAddress from, DataCredits dc) {
        balances.merge(from, -dc.value(), Long::sum);
    }

    public DataCredits held(WalletAddress wallet) {
        return DataCredits.of(balances.getOrDefault(wallet, 0L));
    }
}
