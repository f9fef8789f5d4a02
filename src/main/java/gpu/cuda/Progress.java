package gpu.cuda;

/** How the suite tells the CLI where it is: one test at a time, each from 0 to 1. */
public interface Progress {

    /** A test begins. */
    void begin(String test);

    /** The running test is this far (0 to 1). */
    void update(double fraction);

    /** The test ended; {@code summary} is one short line (e.g. "3965.1 GB/s"), {@code ok} whether it passed its own checks. */
    void end(String summary, boolean ok);

    Progress NONE = new Progress() {
        @Override
        public void begin(String test) {
        }

        @Override
        public void update(double fraction) {
        }

        @Override
        public void end(String summary, boolean ok) {
        }
    };
}
