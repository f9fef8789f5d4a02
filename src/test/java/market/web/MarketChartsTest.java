package market.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The charts' own number and date writing says what String.format and DateTimeFormatter would. */
class MarketChartsTest {

    @Test
    void oneDecimalAsFormatWritesIt() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            double value = (random.nextDouble() - 0.2) * 2000;
            String ours = MarketCharts.decimal(new StringBuilder(), value).toString();
            assertThat(Double.parseDouble(ours)).as("%s", value).isCloseTo(Double.parseDouble(String.format(Locale.ROOT, "%.1f", value)),
                    org.assertj.core.data.Offset.offset(0.1001));
            assertThat(ours).matches("-?\\d+\\.\\d");
        }
        assertThat(MarketCharts.decimal(new StringBuilder(), 12.0).toString()).isEqualTo("12.0");
        assertThat(MarketCharts.decimal(new StringBuilder(), 0.25 * 3).toString()).isEqualTo("0.8");
    }

    @Test
    void hourLabelsAsTheFormatterWritesThem() {
        DateTimeFormatter day = DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
        for (long hour = 0; hour < 24 * 400; hour += 7) {
            Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(hour * 3600 + (hour % 3) * 60);
            assertThat(MarketCharts.hourLabel(at)).isEqualTo(day.format(at));
        }
    }
}
