package pools;

import io.quarkus.qute.TemplateExtension;
import java.util.stream.Collectors;

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
}
