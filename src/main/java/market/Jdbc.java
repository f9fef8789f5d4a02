package market;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.hibernate.Session;

/**
 * The market's SQL runs as plain JDBC on the connection of the caller's transaction (the one the
 * credits and chain postings use too): ranges, arrays and {@code on conflict do nothing} against an
 * exclusion constraint are PostgreSQL's own, and an order on a pool of 1,000 GPUs loads no entities.
 */
@ApplicationScoped
class Jdbc {

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final EntityManager em;

    Jdbc(EntityManager em) {
        this.em = em;
    }

    <T> T work(Work<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::run);
    }

    <T> java.util.List<T> list(String sql, Binder binder, Row<T> row) {
        return work(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                binder.bind(statement);
                try (ResultSet rs = statement.executeQuery()) {
                    java.util.List<T> result = new java.util.ArrayList<>();
                    while (rs.next()) {
                        result.add(row.read(rs));
                    }
                    return result;
                }
            }
        });
    }

    int update(String sql, Binder binder) {
        return work(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                binder.bind(statement);
                return statement.executeUpdate();
            }
        });
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** The SQL state of a database refusal somewhere in {@code e}'s causes, or null. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
