package gpu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The docker command lines the agent runs: argument lists in which every value from the feed is one argument after its flag. */
class DockerRuntimeTest {

    private final DockerRuntime docker = new DockerRuntime("docker", "gpu-7.dc.example");

    private static LeaseFacts lease(List<String> gpus, String key, Map<String, String> env) {
        return new LeaseFacts("L-42", "SPOT", Instant.parse("2026-12-03T10:00:00Z"), null, gpus, "ghcr.io/acme/train:1.2", key, env);
    }

    @Test
    void aLeaseRunsDetachedNamedAfterItWithOnlyItsGpusItsEnvironmentItsKeyAndItsSshPortPublished() {
        LeaseFacts lease = lease(List.of("GPU-aaaa", "GPU-bbbb"), "ssh-ed25519 AAAAC3Nz me@laptop",
                Map.of("EPOCHS", "3", "NOTE", "a b; $(rm -rf /) `x` 'y'"));
        assertThat(docker.runCommand(lease)).containsExactly(
                "docker", "run", "--detach", "--name", "bc-L-42", "--label", "berkeley-compute.lease=L-42", "--restart", "no",
                "--gpus", "\"device=GPU-aaaa,GPU-bbbb\"", "--publish", "22",
                "--env", "EPOCHS=3", "--env", "NOTE=a b; $(rm -rf /) `x` 'y'",
                "--env", "BC_LEASE_ID=L-42", "--env", "BC_SSH_PUBLIC_KEY=ssh-ed25519 AAAAC3Nz me@laptop",
                "ghcr.io/acme/train:1.2");
    }

    @Test
    void withoutAKeyNoneIsPassedAndTheAgentsVariablesComeAfterTheWorkloadsSoTheyWin() {
        List<String> command = docker.runCommand(lease(List.of("GPU-aaaa"), null, Map.of("BC_LEASE_ID", "forged")));
        assertThat(command).doesNotContain("BC_SSH_PUBLIC_KEY=").contains("\"device=GPU-aaaa\"");
        assertThat(command.lastIndexOf("BC_LEASE_ID=L-42")).isGreaterThan(command.indexOf("BC_LEASE_ID=forged"));
        assertThat(command.get(command.size() - 1)).isEqualTo("ghcr.io/acme/train:1.2");
    }

    @Test
    void stopStatusAndPortNameTheLeasesContainer() {
        assertThat(docker.stopCommands("L-42")).containsExactly(
                List.of("docker", "stop", "--time", "10", "bc-L-42"), List.of("docker", "rm", "--force", "bc-L-42"));
        assertThat(docker.inspectCommand("L-42")).containsExactly(
                "docker", "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "bc-L-42");
        assertThat(docker.portCommand("L-42")).containsExactly("docker", "port", "bc-L-42", "22/tcp");
    }

    @Test
    void theEndpointIsThePublicHostAndThePortDockerPicked() {
        assertThat(DockerRuntime.endpointFrom("gpu-7.dc.example", "0.0.0.0:49153\n[::]:49153\n")).isEqualTo("gpu-7.dc.example:49153");
        assertThat(DockerRuntime.endpointFrom("gpu-7.dc.example", "")).isNull();
    }

    @Test
    void withoutADockerCommandTheAgentSaysSoInOneSentenceAtStart() {
        DockerRuntime missing = new DockerRuntime("/nonexistent/docker", "h");
        org.assertj.core.api.Assertions.assertThatThrownBy(missing::check)
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("docker command is not installed")
                .hasMessageContaining("--runtime exec:<script>");
    }
}
