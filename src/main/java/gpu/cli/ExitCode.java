package gpu.cli;

/** What bc-cli's exit status means; listed in {@code bc-cli --help}. */
public final class ExitCode {

    /** Done: certified, or the run passed all its checks. */
    public static final int OK = 0;
    /** The GPU failed a check on its host, or the server refused the report (the reasons are printed). */
    public static final int FAILED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** No NVIDIA GPU or driver on this machine. */
    public static final int NO_GPU = 3;
    /** The server could not be reached or refused the request (address, API key). */
    public static final int SERVER = 4;
    /** A file could not be read or written (report, challenge, key). */
    public static final int FILE = 5;
    /** Something unexpected; the message says what. */
    public static final int INTERNAL = 70;

    private ExitCode() {
    }
}
