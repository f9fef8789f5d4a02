package credits.web;

import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Token and ether amounts (base units, 18 decimals) as people read them: "1,234.5678", or exactly: "0.5". */
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

    /** Base units (18 decimals) as whole units with at most 18 decimals, no trailing zeros: "100", "0.5". */
    static String units18(BigInteger baseUnits) {
        BigDecimal value = new BigDecimal(baseUnits, 18).stripTrailingZeros();
        return (value.scale() < 0 ? value.setScale(0) : value).toPlainString();
    }

    static String grouped(BigDecimal value) {
        DecimalFormat format = new DecimalFormat("#,##0.00##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return format.format(value);
    }
}
