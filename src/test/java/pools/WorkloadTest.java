package pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/** What a lease runs is bounded where it is parsed: a bad image, key or variable is a 400 that names the field. */
class WorkloadTest {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop";

    @Test
    void aWellFormedWorkloadIsKeptWithItsEnvironmentSorted() {
        Workload w = new Workload("ghcr.io/org/trainer:1.2", "  " + KEY + "\n", Map.of("B", "2", "A_1", "x\ty"));
        assertThat(w.sshPublicKey()).isEqualTo(KEY);
        assertThat(w.env().keySet()).containsExactly("A_1", "B");
        assertThat(new Workload("ubuntu@sha256:" + "a".repeat(64), "", null).sshPublicKey()).isNull();
        assertThat(new Workload("localhost:5000/app", null, null).env()).isEmpty();
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        refused(() -> new Workload(" ", KEY, Map.of()), "workload.image");
        refused(() -> new Workload("Ubuntu:24.04", KEY, Map.of()), "workload.image");
        refused(() -> new Workload("ubuntu; rm -rf /", KEY, Map.of()), "workload.image");
        refused(() -> new Workload("a/" + "b".repeat(Workload.MAX_IMAGE_LENGTH), KEY, Map.of()), "workload.image");
        refused(() -> new Workload("ubuntu", KEY + "\nssh-rsa AAAA second", Map.of()), "workload.sshPublicKey");
        refused(() -> new Workload("ubuntu", "not a key", Map.of()), "workload.sshPublicKey");
        refused(() -> new Workload("ubuntu", KEY, Map.of("1BAD", "x")), "workload.env");
        refused(() -> new Workload("ubuntu", KEY, Map.of("OK", "line\nbreak")), "workload.env.OK");
        refused(() -> new Workload("ubuntu", KEY, Map.of("OK", "v".repeat(Workload.MAX_ENV_VALUE_LENGTH + 1))), "workload.env.OK");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= Workload.MAX_ENV_ENTRIES; i++) {
            many.put("V" + i, "x");
        }
        refused(() -> new Workload("ubuntu", KEY, many), "workload.env");
    }

    private static void refused(Runnable parse, String field) {
        assertThatThrownBy(parse::run).isInstanceOf(DomainException.class).hasMessageStartingWith(field);
    }
}
