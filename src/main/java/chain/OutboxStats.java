package chain;

/** How much of the outbox is still on its way, and how old its oldest unconfirmed effect is. */
public record OutboxStats(long pending, long sent, long confirmed, long failed, long lagSeconds) {

    public long depth() {
        return pending + sent;
    }
}
