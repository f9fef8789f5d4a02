package credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import platform.DomainException;

class UsdCentsTest {

    @Test
    void oneUsCentBuysAThousandDataCredits() {
        assertThat(UsdCents.parse("1.00").toDataCredits().value()).isEqualTo(100_000L);
        assertThat(UsdCents.parse("25").toDataCredits().value()).isEqualTo(2_500_000L);
        assertThat(UsdCents.dataCreditsOf(1).value()).isEqualTo(1_000L);
        assertThat(UsdCents.parse("10000.00").toDataCredits().value()).isEqualTo(1_000_000_000L);
    }

    @Test
    void amountsAsPeopleTypeThem() {
        assertThat(UsdCents.parse("25").cents()).isEqualTo(2500);
        assertThat(UsdCents.parse(" 25.5 ").cents()).isEqualTo(2550);
        assertThat(UsdCents.parse("25.05").cents()).isEqualTo(2505);
        assertThat(UsdCents.parse("1.00").toString()).isEqualTo("1.00");
        assertThat(UsdCents.parse("10000").toString()).isEqualTo("10000.00");
    }

    @Test
    void anythingElseIsRefusedNamingTheField() {
        for (String bad : new String[] {null, "", "0.99", "10000.01", "99999", "25.001", "-5", "+5", "1e3", "25,00", "0x10", "NaN",
                "Infinity", "٢٥", "25.", ".5", "9".repeat(10_000), "1 000", "25\u0000"}) {
            assertThatThrownBy(() -> UsdCents.parse(bad)).as(String.valueOf(bad)).isInstanceOf(DomainException.class)
                    .hasMessageStartingWith("usd: ");
        }
    }
}
