package gpu;

import static org.assertj.core.api.Assertions.assertThat;

import gpu.report.ReportJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Keys;

/**
 * The packaged GPU-host CLI, target/bc-cli.jar, run the way a GPU host runs it: lean (no server
 * libraries), self-contained, and on a machine without an NVIDIA driver (this one) it says so in
 * one line and exits 3.
 */
class GpuCliJarIT {

    static final Path JAR = Path.of("target", "bc-cli.jar");

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    static Run cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString()));
        Collections.addAll(command, args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("BC_"));
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theJarIsLeanAndHoldsNoServerLibraries() throws IOException {
        assertThat(Files.size(JAR)).as("bc-cli.jar size").isLessThan(25L * 1024 * 1024);
        try (JarFile zip = new JarFile(JAR.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("gpu/cli/BcCli.class", "gpu/kernels/suite.ptx", "gpu/cuda/GpuProver.class", "gpu/proof/MemoryRound.class", "lib/libJCudaDriver-12.6.0-linux-x86_64.so",
                    "picocli/CommandLine.class", "org/web3j/crypto/Sign.class");
            assertThat(names).noneMatch(n -> n.startsWith("io/quarkus/") || n.startsWith("jakarta/") || n.startsWith("io/vertx/")
                    || n.startsWith("org/hibernate/") || n.startsWith("org/postgresql/"));
            assertThat(names.stream().filter(n -> n.endsWith(".so"))).containsExactly("lib/libJCudaDriver-12.6.0-linux-x86_64.so");
            assertThat(names.stream().filter(n -> n.startsWith("gpu/") && n.endsWith(".class")))
                    .allMatch(n -> n.startsWith("gpu/cli/") || n.startsWith("gpu/cuda/") || n.startsWith("gpu/report/") || n.startsWith("gpu/proof/"));
            assertThat(zip.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("gpu.cli.BcCli");
        }
    }

    @Test
    void helpAndVersionWork() throws Exception {
        Run help = cli("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: bc-cli", "certify", "run", "show", "Exit status:");
        Run version = cli("--version");
        assertThat(version.out().trim()).startsWith("bc-cli ").doesNotEndWith("dev");
    }

    @Test
    void onAMachineWithoutAGpuItSaysSoInOneLineAndExits3() throws Exception {
        Path out = dir.resolve("report.json");
        Run run = cli("run", "--offline", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).startsWith("bc-cli: no NVIDIA driver on this machine").doesNotContain("Exception");
        assertThat(out).doesNotExist();

        Path key = dir.resolve("host.key");
        assertThat(cli("keygen", "--out", key.toString()).exitCode()).isZero();
        Run certify = cli("certify", "--server", "http://127.0.0.1:1", "--api-key", "bck_x", "--key-file", key.toString());
        assertThat(certify.exitCode()).isEqualTo(3);
        assertThat(certify.err().lines()).hasSize(1);
    }

    @Test
    void showVerifiesASignatureWithTheBundledCrypto() throws Exception {
        var key = Keys.createEcKeyPair();
        var report = FakeGpu.h100("00112233445566778899aabbccddeeff", gpu.report.SeedStreams.newSeed(new SecureRandom()),
                "0x" + Keys.getAddress(key), FakeGpu.newUuid());
        Path file = dir.resolve("report.json");
        Files.writeString(file, ReportJson.pretty(FakeGpu.signed(report, key)));
        Run show = cli("show", file.toString());
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains(FakeGpu.H100_NAME, "by " + Keys.toChecksumAddress("0x" + Keys.getAddress(key)));
        Run json = cli("show", file.toString(), "--json");
        assertThat(ReportJson.mapper().readTree(json.out()).path("signer").asText()).isEqualToIgnoringCase("0x" + Keys.getAddress(key));
    }

    @Test
    void badArgumentsExit2() throws Exception {
        Run run = cli("run", "--offline");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option");
    }
}
