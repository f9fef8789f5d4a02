package gpu.cli;

import gpu.cuda.Progress;
import java.io.PrintWriter;

/**
 * One progress bar per test on stderr. On a terminal the bar redraws in place and is replaced by
 * the test's result line; elsewhere (logs, CI) only the result lines are printed.
 */
final class ProgressBar implements Progress {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private String test = "";
    private long started;
    private int drawn = -1;

    ProgressBar(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void begin(String test) {
        this.test = test;
        this.started = System.nanoTime();
        this.drawn = -1;
        update(0);
    }

    @Override
    public void update(double fraction) {
        if (!terminal) {
            return;
        }
        int percent = (int) Math.round(Math.max(0, Math.min(1, fraction)) * 100);
        if (percent == drawn) {
            return;
        }
        drawn = percent;
        int filled = percent * WIDTH / 100;
        out.print("\r  " + pad(test, 14) + "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + pad(percent + "%", 4));
        out.flush();
    }

    @Override
    public void end(String summary, boolean ok) {
        double seconds = (System.nanoTime() - started) / 1e9;
        if (terminal) {
            out.print("\r" + " ".repeat(2 + 14 + WIDTH + 2 + 5) + "\r");
        }
        out.printf("  %s %s%s (%.1f s)%n", ok ? "ok  " : "FAIL", pad(test, 14), summary, seconds);
        out.flush();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
