package gpu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bc-cli's command line: what each mistake says and which exit status it gets. No GPU and no server needed. */
class CliArgumentsTest {

    @TempDir
    Path dir;

    @Test
    void helpListsTheCommandsAndTheExitStatuses() {
        Cli help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("certify", "run", "upload", "challenge", "show", "keygen", "proof-bench", "Exit status:",
                "3   no NVIDIA GPU or driver on this machine");
        assertThat(Cli.run("run", "--help").out()).contains("--offline", "--out=FILE", "--challenge=FILE", "--key-file=FILE",
                "--stability-seconds=S", "--json");
    }

    @Test
    void noCommandOrAnUnknownOptionIsAUsageError() {
        assertThat(Cli.run().exitCode()).isEqualTo(ExitCode.USAGE);
        Cli unknown = Cli.run("run", "--offline", "--out", "r.json", "--turbo");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("Unknown option: '--turbo'");
        Cli missing = Cli.run("run", "--offline");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("Missing required option: '--out=FILE'");
    }

    @Test
    void contradictoryOrOutOfRangeOptionsAreRefusedBeforeAnythingRuns() {
        Cli both = Cli.run("run", "--offline", "--server", "http://localhost:1", "--out", dir.resolve("r.json").toString());
        assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).isEqualTo("bc-cli: --offline and --server contradict each other: drop one" + System.lineSeparator());
        Cli size = Cli.run("run", "--offline", "--stability-size", "1000", "--out", dir.resolve("r.json").toString());
        assertThat(size.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(size.err()).contains("multiple of 128");
        Cli noKey = Cli.run("certify", "--server", "http://localhost:1", "--api-key", "bck_x");
        assertThat(noKey.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noKey.err()).contains("--key-file");
        assertThat(dir.resolve("r.json")).doesNotExist();
        Cli k = Cli.run("proof-bench", "--k", "1000");
        assertThat(k.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(k.err()).contains("--k is a multiple of 256");
        Cli share = Cli.run("proof-bench", "--memory-share", "0.99");
        assertThat(share.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(share.err()).contains("--memory-share is from 0.05 to 0.9");
    }

    @Test
    void withoutAGpuOrDriverTheRunSaysSoInOneLine() {
        Cli run = Cli.run("run", "--offline", "--out", dir.resolve("r.json").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_GPU);
        assertThat(run.err()).startsWith("bc-cli: no NVIDIA").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.err().lines()).hasSize(1);
        assertThat(dir.resolve("r.json")).doesNotExist();
    }

    @Test
    void keygenWritesAPrivateKeyOnceAndShowsItsAddress() throws Exception {
        Path key = dir.resolve("host.key");
        Cli made = Cli.run("keygen", "--out", key.toString());
        assertThat(made.exitCode()).isZero();
        assertThat(made.out()).containsPattern("its address: 0x[0-9a-fA-F]{40}");
        assertThat(Files.readString(key).trim()).matches("0x[0-9a-f]{64}");
        assertThat(Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(KeyFile.address(KeyFile.read(key))).isEqualTo(made.out().replaceAll("(?s).*its address: (0x\\w+).*", "$1"));

        Cli again = Cli.run("keygen", "--out", key.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCode.FILE);
        assertThat(again.err()).contains("never overwrites");
    }

    @Test
    void filesThatAreMissingOrNotReportsAreFileErrors() throws Exception {
        Cli missing = Cli.run("show", dir.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.FILE);
        assertThat(missing.err()).startsWith("bc-cli: cannot read");
        Path notReport = Files.writeString(dir.resolve("x.json"), "{\"hello\": 1}");
        assertThat(Cli.run("show", notReport.toString()).exitCode()).isEqualTo(ExitCode.FILE);
        Path badKey = Files.writeString(dir.resolve("bad.key"), "not a key");
        Cli key = Cli.run("certify", "--server", "http://localhost:1", "--api-key", "bck_x", "--key-file", badKey.toString());
        assertThat(key.exitCode()).isEqualTo(ExitCode.FILE);
        assertThat(key.err()).contains("does not hold a private key");
    }

    @Test
    void anUnreachableServerIsAServerError() throws Exception {
        Path challenge = dir.resolve("c.json");
        Cli cli = Cli.run("challenge", "--server", "http://127.0.0.1:1", "--api-key", "bck_x", "--out", challenge.toString());
        assertThat(cli.exitCode()).isEqualTo(ExitCode.SERVER);
        assertThat(cli.err()).startsWith("bc-cli: cannot reach http://127.0.0.1:1");
        assertThat(Cli.run("challenge", "--server", "ftp://x", "--api-key", "k", "--out", "c").exitCode()).isEqualTo(ExitCode.USAGE);
    }
}
