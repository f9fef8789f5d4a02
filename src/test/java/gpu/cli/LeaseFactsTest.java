package gpu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gpu.report.ReportJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values from the lease feed are untrusted: one that could act as an option, a second line or a path never reaches a runtime. */
class LeaseFactsTest {

    private static ObjectNode entry(String image) {
        ObjectNode entry = ReportJson.mapper().createObjectNode();
        entry.put("gpuUuid", "GPU-aaaa").put("leaseId", "L-1").put("kind", "ON_DEMAND")
                .put("start", "2026-12-03T10:00:00Z").putNull("end");
        ObjectNode workload = entry.putObject("workload");
        workload.put("image", image).put("sshPublicKey", "ssh-ed25519 AAAAC3Nz me@laptop");
        workload.putObject("env").put("GREETING", "hello");
        return entry;
    }

    @Test
    void aWellFormedLeaseGivesItsFactsOpenEnded() throws Exception {
        LeaseFacts lease = LeaseFacts.from("L-1", entry("docker.io/library/ubuntu:24.04"), List.of("GPU-aaaa"));
        assertThat(lease.end()).isNull();
        assertThat(lease.env()).containsEntry("GREETING", "hello");
        assertThat(lease.currentAt(lease.start())).isTrue();
        assertThat(lease.currentAt(lease.start().minusSeconds(1))).isFalse();
    }

    @Test
    void leaseIdsThatAreNoContainerNameOrLookLikeAnOptionAreRefused() {
        for (String id : List.of("-rm", "../etc", "a b", "x\ny", "", "a".repeat(101))) {
            assertThatThrownBy(() -> LeaseFacts.from(id, entry("ubuntu"), List.of("GPU-aaaa"))).isInstanceOf(LeaseFacts.Unusable.class);
        }
    }

    @Test
    void imagesThatCouldBeReadAsOptionsOrAreNoReferenceAreRefused() {
        for (String image : List.of("--privileged", "-v/:/host", "ubuntu latest", "Ubuntu", "a".repeat(256))) {
            assertThatThrownBy(() -> LeaseFacts.from("L-1", entry(image), List.of("GPU-aaaa")))
                    .isInstanceOf(LeaseFacts.Unusable.class).hasMessageContaining("image");
        }
    }

    @Test
    void keysAndEnvironmentValuesWithASecondLineAreRefused() {
        ObjectNode key = entry("ubuntu");
        ((ObjectNode) key.get("workload")).put("sshPublicKey", "ssh-ed25519 AAAA me\nssh-rsa BBBB evil");
        assertThatThrownBy(() -> LeaseFacts.from("L-1", key, List.of("GPU-aaaa"))).hasMessageContaining("SSH");
        ObjectNode env = entry("ubuntu");
        ((ObjectNode) env.get("workload").get("env")).put("X", "1\nY=2");
        assertThatThrownBy(() -> LeaseFacts.from("L-1", env, List.of("GPU-aaaa"))).hasMessageContaining("environment");
        ObjectNode name = entry("ubuntu");
        ((ObjectNode) name.get("workload").get("env")).put("A=B", "1");
        assertThatThrownBy(() -> LeaseFacts.from("L-1", name, List.of("GPU-aaaa"))).hasMessageContaining("environment");
    }

    @Test
    void aLeaseWithoutAWorkloadIsNotRun() {
        JsonNode entry = entry("ubuntu").putNull("workload");
        assertThatThrownBy(() -> LeaseFacts.from("L-1", entry, List.of("GPU-aaaa"))).hasMessageContaining("no workload");
    }
}
