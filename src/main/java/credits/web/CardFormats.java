package credits.web;

import io.quarkus.qute.TemplateExtension;

/** How card payment figures are shown on pages. */
@TemplateExtension
class CardFormats {

    private CardFormats() {
    }

    /** 25000000 becomes "25,000,000". */
    static String thousands(long value) {
        return String.format(java.util.Locale.ROOT, "%,d", value);
    }
}
