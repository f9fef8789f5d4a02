package chain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * One chain worker at a time across all instances sharing the database: a PostgreSQL session
 * advisory lock, held on a connection of its own for as long as this instance leads. If the
 * instance dies, its session ends and another instance takes over within a poll.
 */
@ApplicationScoped
class LeaderLock {

    private static final Logger LOG = Logger.getLogger(LeaderLock.class);
    private static final long LOCK_KEY = 0x6263_6861_696eL; // "bchain"

    private final AgroalDataSource dataSource;
    private Connection connection;

    LeaderLock(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** True while this instance holds the lock; tries to take it when it does not. */
    synchronized boolean holdOrAcquire() {
        try {
            if (connection != null && connection.isValid(2)) {
                return true;
            }
            release();
            Connection candidate = dataSource.getConnection();
            try (PreparedStatement statement = candidate.prepareStatement("select pg_try_advisory_lock(?)")) {
                statement.setLong(1, LOCK_KEY);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        connection = candidate;
                        LOG.info("This instance now runs the chain relay and event sync");
                        return true;
                    }
                }
            }
            candidate.close();
            return false;
        } catch (SQLException e) {
            LOG.debug("Could not take the chain leader lock", e);
            release();
            return false;
        }
    }

    synchronized boolean held() {
        return connection != null;
    }

    synchronized void release() {
        if (connection == null) {
            return;
        }
        try (Connection held = connection;
             PreparedStatement unlock = held.prepareStatement("select pg_advisory_unlock(?)")) {
            unlock.setLong(1, LOCK_KEY);
            unlock.execute(); // a pooled connection keeps its session: unlock before handing it back
        } catch (SQLException ignored) {
            // the session is gone, and the lock with it
        }
        connection = null;
    }
}
