package chain;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the chain worker last saw, for readiness, metrics and the chain page. A singleton without a
 * client proxy: its counters are read and written as fields, and a proxy would have fields of its
 * own (the chain page once read the proxy's head, which stayed at -1).
 */
@Singleton
class ChainStatus {

    private volatile boolean up;
    private volatile String problem = "starting: the chain has not answered yet";
    private volatile Instant lastContact;
    final AtomicLong head = new AtomicLong(-1);
    final AtomicLong pending = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong confirmed = new AtomicLong();
    final AtomicLong relayLagSeconds = new AtomicLong();
    final AtomicLong syncLagBlocks = new AtomicLong();

    void up(long headBlock, Instant now) {
        head.set(headBlock);
        lastContact = now;
        up = true;
        problem = null;
    }

    void down(String why) {
        up = false;
        problem = why;
    }

    boolean isUp() {
        return up;
    }

    String problem() {
        return problem;
    }

    Instant lastContact() {
        return lastContact;
    }
}
