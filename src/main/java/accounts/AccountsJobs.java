package accounts;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Housekeeping: expired nonces and sessions are deleted every hour. */
@ApplicationScoped
class AccountsJobs {

    private final Accounts accounts;

    AccountsJobs(Accounts accounts) {
        this.accounts = accounts;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        accounts.purgeExpired();
    }
}
