package platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationsTest {

    @Test
    void readinessChecksTheDatabase() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
    }

    @Test
    void metricsAreInPrometheusFormat() {
        given().get("/api/chain").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("bc_chain_outbox_depth{status=\"pending\"}"))
                .body(containsString("bc_chain_relay_lag_seconds"));
    }

    @Test
    void openApiDescribesTheJsonApiAndNotThePages() {
        given().accept("application/json").get("/q/openapi").then()
                .statusCode(200)
                .body("paths.'/api/auth/siwe'.post", notNullValue())
                .body("paths.'/api/me/api-keys'.get", notNullValue())
                .body("paths.'/account'", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void pagesErrorsAreReadablePages() {
        given().accept("text/html").redirects().follow(false).get("/account").then()
                .statusCode(303)
                .header("Location", containsString("/signin?next=%2Faccount"));
    }

    @Test
    void homePageSaysWhatTheMarketplaceIs() {
        given().accept("text/html").get("/").then()
                .statusCode(200)
                .body(containsString("marketplace for GPU compute"))
                .body(containsString("href=\"/signin\""));
    }
}
