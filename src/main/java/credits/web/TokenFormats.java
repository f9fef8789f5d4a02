package credits.web;

import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.math.BigInteger;

/** How token and ether amounts are shown on the credits pages. */
@TemplateExtension
public class TokenFormats {

    private TokenFormats() {
    }

    /** Base units (18 decimals) as whole units with at most 18 decimals, no trailing zeros: "100", "0.5". */
    static String units18(BigInteger baseUnits) {
        BigDecimal value = new BigDecimal(baseUnits, 18).stripTrailingZeros();
        return (value.scale() < 0 ? value.setScale(0) : value).toPlainString();
    }
}
