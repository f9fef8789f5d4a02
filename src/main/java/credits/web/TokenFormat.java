package credits.web;

import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Token amounts (decimal strings of base units, 18 decimals) as people read them: "1,234.5678". */
@TemplateExtension
public final class TokenFormat {

    static final BigInteger ONE_TOKEN = BigInteger.TEN.pow(18);

    private TokenFormat() {
    }

    /** {@code {amount.tokens}} in a template: whole tokens with four decimals, rounded down. */
    static String tokens(String baseUnits) {
        if (baseUnits == null || baseUnits.isEmpty()) {
            return "";
        }
        return grouped(new BigDecimal(new BigInteger(baseUnits)).divide(new BigDecimal(ONE_TOKEN), 4, RoundingMode.DOWN));
    }

    static String tokens(BigInteger baseUnits) {
        return baseUnits == null ? "" : tokens(baseUnits.toString());
    }

    static String tokens(credits.TokenAmount amount) {
        return amount == null ? "" : tokens(amount.toString());
    }

    static String grouped(BigDecimal value) {
        DecimalFormat format = new DecimalFormat("#,##0.00##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return format.format(value);
    }
}
