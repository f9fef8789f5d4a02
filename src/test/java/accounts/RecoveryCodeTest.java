package accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import platform.DomainException;

class RecoveryCodeTest {

    @Test
    void aCodeIsTwentySixBase32CharactersInGroupsOfFourAndReadsBackAsTyped() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            RecoveryCode code = RecoveryCode.random();
            String text = code.text();
            assertThat(text).matches("([A-Z2-7]{4}-){6}[A-Z2-7]{2}");
            assertThat(seen.add(text)).isTrue();
            byte[] salt = RecoveryCode.newSalt();
            byte[] stored = code.hash(salt);
            assertThat(RecoveryCode.parse(text).matches(salt, stored)).isTrue();
            assertThat(RecoveryCode.parse(" " + text.toLowerCase(Locale.ROOT).replace("-", " ") + " ").matches(salt, stored)).isTrue();
            assertThat(RecoveryCode.random().matches(salt, stored)).isFalse();
            assertThat(code.matches(RecoveryCode.newSalt(), stored)).as("another salt").isFalse();
        }
    }

    @Test
    void whatCannotBeACodeIsRefusedNamingTheField() {
        String text = RecoveryCode.random().text();
        for (String bad : new String[] {null, "", text.substring(0, 20), text + "A", text.replace(text.charAt(0), '1'),
                text.substring(0, text.length() - 1) + "B", "x".repeat(100)}) {
            assertThatThrownBy(() -> RecoveryCode.parse(bad)).as(String.valueOf(bad))
                    .isInstanceOf(DomainException.class).hasMessageStartingWith("code:");
        }
    }

    @Test
    void theCodeNeverShowsInItsStringForm() {
        RecoveryCode code = RecoveryCode.random();
        assertThat(code.toString()).doesNotContain(code.text().substring(0, 4));
    }
}
