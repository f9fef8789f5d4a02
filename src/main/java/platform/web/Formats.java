package platform.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How values are shown on pages. */
@TemplateExtension
public class Formats {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** 2026-11-26 03:41 UTC */
    static String utc(Instant instant) {
        return instant == null ? "" : UTC.format(instant);
    }
}
