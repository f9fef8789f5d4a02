package platform;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * A test profile with the tests' embedded PostgreSQL and none of the other global test resources
 * (no Stripe stand-in): for tests of the product's defaults. Subclasses add their overrides.
 */
public abstract class DatabaseOnlyProfile implements QuarkusTestProfile {
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
    }
}
