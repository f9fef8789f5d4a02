package market.web;

import io.quarkus.qute.TemplateExtension;
import java.math.BigInteger;

/** How the market pages show values. */
@TemplateExtension
public class MarketFormats {

    private MarketFormats() {
    }

    /** A token id short enough for a cell: split and merged pieces have ids from 2^128, so "#34028236…" with the whole id in a title. */
    static String shortId(BigInteger id) {
        String digits = id.toString();
        return digits.length() <= 10 ? digits : digits.substring(0, 8) + "…" + digits.substring(digits.length() - 2);
    }
}
