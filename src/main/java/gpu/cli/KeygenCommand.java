package gpu.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Makes a host key: the key stays on the GPU host, its address is registered on the server. */
@Command(name = "keygen", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Makes a new host key, readable by its owner only, and prints its address.",
                "Register the address on the server (page 'GPU certificates' or POST /api/gpu/host-keys): reports it signs"
                        + " then count as yours, and your wallet's key never has to be on the GPU host."})
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key; never overwritten")
    Path out;

    @Override
    public Integer call() {
        String address = KeyFile.create(out, new SecureRandom());
        spec.commandLine().getOut().println("Host key written to " + out + "; its address: " + address);
        return ExitCode.OK;
    }
}
