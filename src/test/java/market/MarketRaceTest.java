package market;

import static market.MarketWorld.customer;
import static market.MarketWorld.hourFromNow;
import static market.MarketWorld.order;
import static market.MarketWorld.payAsYouGo;
import static market.MarketWorld.pool;
import static market.MarketWorld.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/**
 * 64 clients at once (real HTTP, each its own wallet) try to take the last free GPU: exactly one
 * gets it, every other gets a 409, and the database holds no overlapping holds.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class MarketRaceTest {

    private static final int CLIENTS = 64;

    /** The status codes of 64 orders sent at once, the i-th with body {@code body.apply(i)}. */
    private static List<Integer> race(IntFunction<Map<String, Object>> body) throws Exception {
        List<MarketWorld.Customer> customers = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            customers.add(customer(50_000_000));
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return order(customers.get(client), body.apply(client)).statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sixtyFourClientsReserveTheLastFreeGpuOfAWindowAndExactlyOneGetsIt() throws Exception {
        MarketWorld.Pool pool = pool(3);
        Instant start = hourFromNow(4);
        Instant end = hourFromNow(10);
        order(customer(50_000_000), reservation(pool.id(), 2, start, end)).then().statusCode(201);

        List<Integer> statuses = race(i -> reservation(pool.id(), 1, start.plusSeconds(3600L * (i % 3)), end));

        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        assertThat(MarketWorld.overlappingHolds()).isZero();
        assertThat(MarketWorld.count("select count(*) from market_hold where pool_id = " + pool.id())).isEqualTo(3);
    }

    @Test
    void onDemandOrdersRacingReservationsForTheLastGpuLeaveExactlyOneWinner() throws Exception {
        MarketWorld.Pool pool = pool(2);
        order(customer(50_000_000), payAsYouGo(pool.id(), "ON_DEMAND", 1)).then().statusCode(201);
        Instant start = hourFromNow(1);

        List<Integer> statuses = race(i -> i % 2 == 0
                ? payAsYouGo(pool.id(), "ON_DEMAND", 1)
                : reservation(pool.id(), 1, start, start.plusSeconds(3600L * (1 + i % 5))));

        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        assertThat(MarketWorld.overlappingHolds()).isZero();
    }
}
