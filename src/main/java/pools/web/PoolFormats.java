package pools.web;

import io.quarkus.qute.TemplateExtension;
import java.util.stream.Collectors;
import pools.GpuStatus;
import pools.MemberPolicy;
import pools.PoolView;
import pools.Prices;
import pools.RewardShares;
import pools.SpotCheck;

/** How pools' values are shown on pages. */
@TemplateExtension
class PoolFormats {

    private PoolFormats() {
    }

    /** 1000 basis points → "10.00%". */
    static String percent(Integer bps) {
        return bps == null ? "" : String.format("%d.%02d%%", bps / 100, bps % 100);
    }

    /** 9500 basis points → "95.00", as the edit form takes a percentage. */
    static String percentNumber(Integer bps) {
        return bps == null ? "" : String.format("%d.%02d", bps / 100, bps % 100);
    }

    /** Reserved prices as the edit form takes them: "30:1.80, 365:1.50". */
    static String reservedTerms(Prices prices) {
        return prices.reserved().stream().map(r -> r.termDays() + ":" + r.usdPerHour()).collect(Collectors.joining(", "));
    }

    /** A status for people: "minting", "offline". */
    static String label(GpuStatus status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }

    static String shortAddress(String address) {
        return address == null || address.length() != 42 ? String.valueOf(address) : address.substring(0, 6) + "…" + address.substring(38);
    }

    /** The shares the edit form offers: the announced ones while a change is pending, so saving the form keeps it. */
    static RewardShares editShares(PoolView pool) {
        return pool.pendingShares() == null ? pool.shares() : pool.pendingShares().shares();
    }

    /** The notice period (hours) the edit form offers: the announced one while it is pending. */
    static long editNoticeHours(PoolView pool) {
        PoolView.PendingTerms pending = pool.pendingTerms();
        return (pending == null || pending.noticePeriod() == null ? pool.noticePeriod() : pending.noticePeriod()).toHours();
    }

    /** The member policy the edit form offers: the announced one while it is pending. */
    static MemberPolicy editPolicy(PoolView pool) {
        PoolView.PendingTerms pending = pool.pendingTerms();
        return pending == null || pending.policy() == null ? pool.policy() : pending.policy();
    }

    /** A spot check's outcome for people: "passed", "failed", "open". */
    static String label(SpotCheck.Outcome outcome) {
        return outcome.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A spot check's time against its deadline: "412 of 900 ms", "– of 900 ms" without an answer, "" with neither. */
    static String timing(SpotCheck check) {
        if (check.elapsedMs() == null && check.deadlineMs() == null) {
            return "";
        }
        String elapsed = check.elapsedMs() == null ? "–" : String.format("%,d", check.elapsedMs());
        return check.deadlineMs() == null ? elapsed + " ms" : elapsed + " of " + String.format("%,d", check.deadlineMs()) + " ms";
    }

    /** The clock hour a failed check costs: "2026-02-10 10:00–11:00 UTC". */
    static String lostHour(SpotCheck check) {
        if (check.hourWithoutPoolShare() == null) {
            return "";
        }
        java.time.ZonedDateTime start = check.hourWithoutPoolShare().atZone(java.time.ZoneOffset.UTC);
        return String.format("%s %02d:00–%02d:00 UTC", start.toLocalDate(), start.getHour(), (start.getHour() + 1) % 24);
    }

    /** An announced policy for people: "95.00% uptime over 24 h, at most 3 failures, 24 h grace". */
    static String summary(MemberPolicy policy) {
        return policy == null ? "" : String.format("%s%% uptime over %d h, at most %d failures, %d h grace",
                percentNumber(policy.minUptimeBps()), policy.window().toHours(), policy.maxFailures(), policy.warningGrace().toHours());
    }
}
