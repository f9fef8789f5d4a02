package gpu.cli;

/** A failure bc-cli reports in one line, with the exit status it stands for ({@link ExitCode}). */
final class CliFailure extends RuntimeException {

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
