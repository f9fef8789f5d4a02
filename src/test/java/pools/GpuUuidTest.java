package pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import platform.DomainException;

/** {@link GpuUuid}: one spelling of a GPU's UUID, whatever the driver or the operator typed. */
class GpuUuidTest {

    private static final String CANONICAL = "GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab";

    @ParameterizedTest
    @ValueSource(strings = {CANONICAL, "gpu-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab", "GPU-8F3C2A1E-0B4D-4C6E-9A7F-1234567890AB",
            "8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab", "  GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab \t"})
    void everySpellingOfAUuidIsTheSameGpu(String spelling) {
        assertThat(GpuUuid.of(spelling)).contains(new GpuUuid(CANONICAL));
        assertThat(GpuUuid.parse("uuid", spelling).value()).isEqualTo(CANONICAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-uuid", "GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890a", "GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890abc",
            "GPU-GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab", "MIG-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab",
            "GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ag", "GPU-8f3c2a1e0b4d4c6e9a7f1234567890ab"})
    void anythingElseIsNoUuidAndARegistrationNamesTheField(String text) {
        assertThat(GpuUuid.of(text)).isEmpty();
        assertThatThrownBy(() -> GpuUuid.parse("uuid", text)).isInstanceOf(DomainException.class)
                .hasMessageStartingWith("uuid: ").hasMessageContaining(CANONICAL);
    }

    @Test
    void aValueIsOnlyEverInItsOneSpelling() {
        assertThat(GpuUuid.of(null)).isEmpty();
        assertThat(GpuUuid.of("GPU-" + "a".repeat(100))).isEmpty();
        assertThatThrownBy(() -> new GpuUuid("gpu-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new GpuUuid(CANONICAL)).hasToString(CANONICAL);
    }
}
