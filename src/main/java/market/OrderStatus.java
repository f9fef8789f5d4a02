package market;

import java.util.EnumSet;
import java.util.Set;

/**
 * An order's life: scheduled until its start (a reservation's window, or an on-demand rental waiting
 * for a spot rental's notice to end), starting from then until its workload runs, running,
 * preempting while a spot rental is under notice, and then one of the ends: preempted (spot),
 * stopped by its customer, ended (a reservation's window is over, or an on-demand rental's
 * guarantee ran into a reservation), failed; or, for a reservation, split or merged: its slot's
 * holder split it (or merged it with another) on chain, and the pieces are orders of their own.
 */
public enum OrderStatus {
    SCHEDULED, STARTING, RUNNING, PREEMPTING, PREEMPTED, STOPPED, ENDED, FAILED, SPLIT, MERGED;

    /** The statuses in which an order still holds GPUs now or later. */
    public static final Set<OrderStatus> OPEN = EnumSet.of(SCHEDULED, STARTING, RUNNING, PREEMPTING);

    public boolean open() {
        return OPEN.contains(this);
    }
}
