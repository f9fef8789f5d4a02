package credits.web;

import credits.DataCredits;
import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** How Data Credits are shown on pages: "12,345 DC" and their value in USD (1 DC = 0.00001 USD). */
@TemplateExtension
public class CreditsFormats {

    private CreditsFormats() {
    }

    /** 1234567 becomes "1,234,567 DC". */
    static String shown(DataCredits dc) {
        return grouped(dc.value()) + " DC";
    }

    /** 1234567 DC becomes "12.35 USD" (rounded to the cent for display only). */
    static String usd(DataCredits dc) {
        return BigDecimal.valueOf(dc.value(), 5).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString() + " USD";
    }

    /** A signed change: "+1,000", "−250", or "" for none. */
    static String change(long dc) {
        if (dc == 0) {
            return "";
        }
        return (dc > 0 ? "+" : "−") + grouped(Math.abs(dc));
    }

    private static String grouped(long value) {
        return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(value);
    }
}
