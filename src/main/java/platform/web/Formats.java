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

    /** The first characters of a hash or id, for a table cell ("0x3f9a12c4…"); the whole value goes in a title. */
    static String abbrev(String value) {
        return value == null || value.length() <= 12 ? String.valueOf(value) : value.substring(0, 10) + "…";
    }

    static String lower(String value) {
        return value == null ? "" : value.toLowerCase(java.util.Locale.ROOT);
    }

    static long hours(java.time.Duration duration) {
        return duration.toHours();
    }

    /** 2026-11-26 03:41 UTC */
    static String utc(Instant instant) {
        return instant == null ? "" : UTC.format(instant);
    }
}
